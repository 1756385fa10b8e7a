package archive

import (
	"strings"
	"testing"
)

func TestHidesScript(t *testing.T) {
	cases := []string{
		"", "<p>hi</p>", "<p>hi</p><script>alert(1)</script>", "< SCRIPT src=x>", "<scripts>", "<script",
		"<styles>", "<Style>", "<\tobject data=x>", "<embed/>", "<embedded>", "<p onclick=\"x\">", "<p ONLOAD =x>",
		"<p on=x>", "<p one two>", "on click=", " onclick", " onclick =", "\nonmouseover\t=", "a on1=", "<p>online = offline</p>",
		"<img src=x onerror=alert(1)>", "Ə ə <p>Azərbaycan</p> onun=", "x\x00<script>", "<", " o", " on", " onx",
		"<script_>", "<script-x>", "<\u017fcript>", " o\u212a=", "<script1>", "<object>", strings.Repeat("<p> on", 100) + "=",
	}
	for _, c := range cases {
		if got, want := hidesScript(c), scriptTag.MatchString(c); got != want {
			t.Errorf("hidesScript(%q) = %v, the expression says %v", c, got, want)
		}
	}
}

func FuzzHidesScript(f *testing.F) {
	for _, s := range []string{"<p>hi</p><script>", "<p onclick=x>", "< style>", " ONLOAD=", "<embedx>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hidesScript(s), scriptTag.MatchString(s); got != want {
			t.Errorf("hidesScript(%q) = %v, the expression says %v", s, got, want)
		}
	})
}
