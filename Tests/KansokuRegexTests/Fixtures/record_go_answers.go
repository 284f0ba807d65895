// Records Go's regexp answers for RE2RegexTests: `go run record_go_answers.go > go_regexp_answers.json`
// (any Go from 1.17, whose compiler gives x* of a nullable x the (x+)? form). Random patterns over a
// small alphabet, from a fixed seed, then a hand-written list of cases where Go's semantics differ from
// Swift's Regex or where backtracking engines disagree.
package main

import (
	"encoding/json"
	"math/rand"
	"os"
	"regexp"
	"strings"
)

type answer struct {
	Pattern string `json:"pattern"`
	Texts   []text `json:"texts"`
}

type text struct {
	Text  string `json:"text"`
	Match []int  `json:"match"` // FindStringSubmatchIndex, null when none
	Whole bool   `json:"whole"` // MatchString of ^(?:pattern)$
}

var rng = rand.New(rand.NewSource(20261123))

var atoms = []string{"a", "b", "c", "1", " ", "é", ".", "[ab]", "[^a]", "[a-c]", `\d`, `\w`, `\s`, `\W`, `\b`, `\B`,
	"^", "$", "(?s:.)", `\.`, "[[:alpha:]]", "[^[:space:]]", "(?i:a)", "(?i:k)", "(?i:[^s])", "x*", "(?m:^)", "(?m:$)"}
var quantifiers = []string{"", "", "", "*", "+", "?", "*?", "+?", "??", "{2}", "{0,2}", "{1,}", "{1,2}?"}

func expr(depth int) string {
	n := 1 + rng.Intn(3)
	parts := make([]string, 0, n)
	for i := 0; i < n; i++ {
		var atom string
		if depth < 2 && rng.Intn(3) == 0 {
			inner := expr(depth + 1)
			if rng.Intn(2) == 0 {
				inner += "|" + expr(depth+1)
			}
			switch rng.Intn(3) {
			case 0:
				atom = "(" + inner + ")"
			case 1:
				atom = "(?:" + inner + ")"
			default:
				atom = "(?P<g" + string(rune('a'+rng.Intn(26))) + string(rune('a'+rng.Intn(26))) + ">" + inner + ")"
			}
		} else {
			atom = atoms[rng.Intn(len(atoms))]
		}
		q := quantifiers[rng.Intn(len(quantifiers))]
		if strings.HasSuffix(atom, "*") || atom == "^" || atom == "$" || strings.HasPrefix(atom, `\b`) || strings.HasPrefix(atom, `\B`) || strings.HasPrefix(atom, "(?m:") {
			q = ""
		}
		parts = append(parts, atom+q)
	}
	return strings.Join(parts, "")
}

var alphabet = []string{"a", "b", "c", "1", " ", "é", "\n", "_", "A", "\u212a", "\u017f", "S", "."}

func randomText() string {
	n := rng.Intn(9)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(alphabet[rng.Intn(len(alphabet))])
	}
	return b.String()
}

var handWritten = []struct {
	pattern string
	texts   []string
}{
	{`(a|ab)(c|bcd)(d*)`, []string{"abcd", "abc", "acd"}},
	{`(a*)*`, []string{"b", "aab", ""}},
	{`(a*)+`, []string{"b", "aab"}},
	{`(a|b)*?c`, []string{"abac", "c"}},
	{`(?i)kelvin`, []string{"\u212aelvin", "KELVIN", "kelvin"}},
	{`(?i)[k]`, []string{"\u212a", "K"}},
	{`(?i)\W`, []string{"\u212a", "\u017f", "!"}},
	{`(?i)[^k]`, []string{"\u212a", "x"}},
	{`^\d+$`, []string{"123", "١٢٣", "12\n"}},
	{`\w+`, []string{"héllo", "_x9"}},
	{`a.c`, []string{"a\nc", "a\rc", "aéc"}},
	{`(?s)a.c`, []string{"a\nc"}},
	{`(?m)^b$`, []string{"a\nb\nc", "b"}},
	{`^b$`, []string{"a\nb\nc", "b\n"}},
	{`\bfoo\b`, []string{"a foo b", "foobar", "éfooé"}},
	{`x{2,3}?`, []string{"xxxx"}},
	{`(?U)a+`, []string{"aaa"}},
	{`(?U)a+?`, []string{"aaa"}},
	{`"(?P<method>[A-Z]+) `, []string{`10.0.0.1 - - [x] "GET /api HTTP/1.1" 200`, `no quotes`, `"get "POST x`}},
	{`(?P<ip>\d+\.\d+\.\d+\.\d+) .* (?P<status>\d{3}) `, []string{`10.1.2.3 - - "GET / HTTP/1.1" 503 12`}},
	{`level=(?P<level>\w+)`, []string{"ts=1 level=info msg=x", "level="}},
	{`(?P<a>x)?(?P<b>y)`, []string{"y", "xy"}},
	{`[]a]+`, []string{"]a]"}},
	{`[a-]+`, []string{"-a-"}},
	{`\x41\x{263a}`, []string{"A☺"}},
	{`a{,2}`, []string{"a{,2}"}},
	{`a\{2\}`, []string{"a{2}"}},
	{`(|a)+`, []string{"aa"}},
	{`(a|)+`, []string{"aa"}},
	{`(?:(a)|b)+`, []string{"ab"}},
	{`(a+|b+)*c`, []string{"aabbc", "abab"}},
	{`[[:^digit:]x]+`, []string{"ab1x"}},
	{`\S+@\S+`, []string{"mail me@example.com now"}},
	{`é+`, []string{"ééé"}},
	{`[^é]`, []string{"é", "éa"}},
}

func record(pattern string, texts []string) answer {
	re := regexp.MustCompile(pattern)
	whole := regexp.MustCompile(`^(?:` + pattern + `)$`)
	out := answer{Pattern: pattern}
	for _, t := range texts {
		out.Texts = append(out.Texts, text{Text: t, Match: re.FindStringSubmatchIndex(t), Whole: whole.MatchString(t)})
	}
	return out
}

func main() {
	var answers []answer
	seen := map[string]bool{}
	for len(answers) < 400 {
		prefix := []string{"", "", "", "(?i)", "(?s)", "(?m)"}[rng.Intn(6)]
		pattern := prefix + expr(0)
		if rng.Intn(4) == 0 {
			pattern += "|" + expr(0)
		}
		if seen[pattern] {
			continue
		}
		if _, err := regexp.Compile(pattern); err != nil {
			continue
		}
		seen[pattern] = true
		texts := make([]string, 8)
		for i := range texts {
			texts[i] = randomText()
		}
		answers = append(answers, record(pattern, texts))
	}
	for _, h := range handWritten {
		answers = append(answers, record(h.pattern, h.texts))
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(answers); err != nil {
		panic(err)
	}
}
