package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// webhookMetrics are the webhook delivery instruments, made on first use.
type webhookMetrics struct {
	once     sync.Once
	outcomes *prometheus.CounterVec
}

// ObserveWebhook counts one delivery attempt by outcome: succeeded, retry (failed, will be
// retried), rejected (a 4xx or refused address: not retried) or failed (retries exhausted).
func (m *Metrics) ObserveWebhook(outcome string) {
	m.webhooks.once.Do(func() {
		m.webhooks.outcomes = prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "herald", Subsystem: "webhooks", Name: "attempts_total",
			Help: "Webhook delivery attempts by outcome: succeeded, retry, rejected (4xx, refused address), failed (retries exhausted).",
		}, []string{"outcome"})
		_ = m.reg.Register(m.webhooks.outcomes)
	})
	m.webhooks.outcomes.WithLabelValues(outcome).Inc()
}

// WatchWebhooks reports the delivery queue at each scrape: deliveries pending and the age
// of the oldest. read answers both (a database query, bounded by its caller).
func (m *Metrics) WatchWebhooks(read func() (pending int64, oldest time.Duration)) error {
	var mu sync.Mutex
	var last struct {
		at      time.Time
		pending int64
		oldest  time.Duration
	}
	// One query serves both gauges of a scrape.
	get := func() (int64, time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last.at) > time.Second {
			last.pending, last.oldest = read()
			last.at = time.Now()
		}
		return last.pending, last.oldest
	}
	for _, col := range []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "herald", Subsystem: "webhooks", Name: "queue_depth",
			Help: "Webhook deliveries pending (not yet succeeded or given up)."},
			func() float64 { n, _ := get(); return float64(n) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "herald", Subsystem: "webhooks", Name: "oldest_pending_seconds",
			Help: "Age of the oldest pending webhook delivery (0 when none)."},
			func() float64 { _, d := get(); return d.Seconds() }),
	} {
		if err := m.reg.Register(col); err != nil {
			return err
		}
	}
	return nil
}
