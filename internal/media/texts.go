package media

// Texts are an item's alt text, caption and credit for one reader, each taken from the
// first locale of the reader's chain that has it, and the locale it came from: a credit
// given only in English still shows under ?locale=az, and says it is English. (The same
// fallback as articles, applied per field: a translation that has alt text but no credit
// does not hide the credit of another.)
type Texts struct {
	Alt, AltLocale         string
	Caption, CaptionLocale string
	Credit, CreditLocale   string
}

// Texts returns m's texts along chain.
func (m Media) Texts(chain []string) Texts {
	var out Texts
	pick := func(text, loc *string, get func(Translation) string) {
		for _, l := range chain {
			for _, t := range m.Translations {
				if t.Locale == l && get(t) != "" {
					*text, *loc = get(t), l
					return
				}
			}
		}
	}
	pick(&out.Alt, &out.AltLocale, func(t Translation) string { return t.Alt })
	pick(&out.Caption, &out.CaptionLocale, func(t Translation) string { return t.Caption })
	pick(&out.Credit, &out.CreditLocale, func(t Translation) string { return t.Credit })
	return out
}

// Locales lists the locales the texts came from, alt first, each once.
func (t Texts) Locales() []string {
	var out []string
	for _, l := range []string{t.AltLocale, t.CaptionLocale, t.CreditLocale} {
		if l == "" {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == l
		}
		if !dup {
			out = append(out, l)
		}
	}
	return out
}
