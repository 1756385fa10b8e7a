package api

import (
	"net"

	"github.com/labstack/echo/v4"
)

// clientIPExtractor decides what c.RealIP() is, for every use (login limits, read dedupe
// and rate limits, logs): the connection's peer, unless the peer is one of trusted, in
// which case X-Forwarded-For is walked from the right, past trusted proxies, to the first
// address that is not one. Loopback and private networks are not trusted by default: a
// client on the same network could otherwise choose its own address. X-Real-IP is never read.
func clientIPExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// clientKey is the address a per-client limit counts: an IPv6 client is its /64, which one
// subscriber usually holds whole, so rotating addresses inside it does not reset the limit.
func clientKey(ip string) string {
	a := net.ParseIP(ip)
	if a == nil || a.To4() != nil {
		return ip
	}
	return a.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
