package enumtext

import "strings"

// Parse returns the value whose name (names[value]) or short form
// (aliases) matches text, false when none does. Empty names are skipped.
func Parse(text []byte, names []string, aliases map[string]int) (int, bool) {
	t := normal(string(text))
	if t == "" {
		return 0, false
	}
	for i, n := range names {
		if n != "" && normal(n) == t {
			return i, true
		}
	}
	for a, v := range aliases {
		if normal(a) == t {
			return v, true
		}
	}
	return 0, false
}

// normal lowers the case, reads hyphens and underscores as spaces and
// trims the text.
func normal(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return ' '
		}
		return r
	}, s)
}
