package search

import "strings"

// stopWords are the words of each language too common to find anything, folded as Fold
// does (so az lists them without ə, ı, ş, …). Short lists on purpose: a word left out only
// costs index space; a word put in can never be found.
var stopWords = map[string]map[string]bool{
	"en": set("a an and are as at be but by for from had has have he her his i if in into is it its " +
		"no not of on or our s she so t than that the their them then there these they this to was we were " +
		"what when which who will with you your"),
	"ru": set("а без бы в во вот все вы да для до его ее если есть же за и из или им их к как ко " +
		"когда кто ли на над не него нее неё нет ни них но о об однако он она они оно от по под при с со так " +
		"также такой там те тем то того тоже той только том ты у уже чем что чтобы эта эти это этот я"),
	"az": set("ve ile ki bu o da de ucun amma lakin ya yaxud hem ne bir her biz siz onlar men sen " +
		"onun bunun olan olaraq kimi qeder sonra evvel artiq hele cox"),
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
