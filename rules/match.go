package rules

import (
	"path"
	"strings"
)

// accountGlob is one exclude_accounts pattern, lower-cased once. The common
// shapes (a literal, "svc-*", "*-test") are matched without path.Match.
type accountGlob struct {
	pattern string
	shape   globShape
	literal string // the pattern without its '*' for globPrefix and globSuffix
}

type globShape uint8

const (
	globExact globShape = iota
	globPrefix
	globSuffix
	globGeneral
)

// compileGlobs prepares patterns; those path.Match rejects are returned
// apart and match nothing.
func compileGlobs(patterns []string) (globs []accountGlob, bad []string) {
	for _, p := range patterns {
		lower := strings.ToLower(strings.TrimSpace(p))
		if _, err := path.Match(lower, ""); err != nil {
			bad = append(bad, p)
			continue
		}
		g := accountGlob{pattern: lower, shape: globGeneral}
		switch body := strings.Trim(lower, "*"); {
		case strings.ContainsAny(body, `*?[\`):
		case lower == body:
			g.shape, g.literal = globExact, body
		case lower == body+"*":
			g.shape, g.literal = globPrefix, body
		case lower == "*"+body:
			g.shape, g.literal = globSuffix, body
		}
		globs = append(globs, g)
	}
	return globs, bad
}

// matchAny reports whether name matches one of globs, case-insensitively.
func matchAny(globs []accountGlob, name string) bool {
	lower := ""
	for _, g := range globs {
		switch g.shape {
		case globExact:
			if strings.EqualFold(name, g.literal) {
				return true
			}
		case globPrefix:
			if len(name) >= len(g.literal) && strings.EqualFold(name[:len(g.literal)], g.literal) {
				return true
			}
		case globSuffix:
			if len(name) >= len(g.literal) && strings.EqualFold(name[len(name)-len(g.literal):], g.literal) {
				return true
			}
		default:
			if lower == "" {
				lower = strings.ToLower(name)
			}
			if ok, _ := path.Match(g.pattern, lower); ok {
				return true
			}
		}
	}
	return false
}

// normalizeDN lower-cases dn and drops the blanks around its commas, so
// "OU=Staff, DC=corp" and "ou=staff,dc=corp" compare equal.
func normalizeDN(dn string) string {
	return strings.ToLower(dnKey(dn))
}

// dnKey drops the blanks around dn's commas, keeping its case. Directories
// write DNs without such blanks, so this rarely allocates.
func dnKey(dn string) string {
	s := strings.TrimSpace(dn)
	if !strings.Contains(s, ", ") && !strings.Contains(s, " ,") && !strings.Contains(s, ",\t") && !strings.Contains(s, "\t,") {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != ',' {
			out = append(out, c)
			continue
		}
		for len(out) > 0 && isBlank(out[len(out)-1]) {
			out = out[:len(out)-1]
		}
		out = append(out, ',')
		for i+1 < len(s) && isBlank(s[i+1]) {
			i++
		}
	}
	return string(out)
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// inSubtree reports whether dn (a dnKey) is ou (normalised) or lies below
// it, ignoring case. The comma before ou must separate components, not be an
// escaped "\," in a name.
func inSubtree(dn, ou string) bool {
	if len(dn) == len(ou) {
		return strings.EqualFold(dn, ou)
	}
	i := len(dn) - len(ou) - 1
	if i < 0 || dn[i] != ',' || !strings.EqualFold(dn[i+1:], ou) {
		return false
	}
	backslashes := 0
	for j := i - 1; j >= 0 && dn[j] == '\\'; j-- {
		backslashes++
	}
	return backslashes%2 == 0
}
