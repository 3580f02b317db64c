package adsim

import (
	"strings"
	"unicode/utf8"
)

// canonicalDN drops the optional spaces around a DN's separators
// ("CN=a , DC=b" → "CN=a,DC=b") and turns ';' into ','. Case and escapes are
// kept, so two canonical DNs name the same object iff strings.EqualFold says so.
func canonicalDN(dn string) string {
	if !needsCanonical(dn) {
		return dn
	}
	var out strings.Builder
	out.Grow(len(dn))
	var token []byte
	keep := 0 // length of token without its unescaped trailing spaces
	inValue := false
	flush := func(sep byte) {
		out.Write(token[:keep])
		if sep != 0 {
			out.WriteByte(sep)
		}
		token, keep = token[:0], 0
	}
	for i := 0; i < len(dn); i++ {
		c := dn[i]
		switch {
		case c == '\\' && i+1 < len(dn):
			token = append(token, c, dn[i+1])
			i++
			keep = len(token)
		case c == ' ' && len(token) == 0:
			// leading space of a type or value
		case c == '=' && !inValue:
			flush('=')
			inValue = true
		case (c == ',' || c == ';' || c == '+') && inValue:
			if c == ';' {
				c = ','
			}
			flush(c)
			inValue = false
		default:
			token = append(token, c)
			if c != ' ' {
				keep = len(token)
			}
		}
	}
	flush(0)
	return out.String()
}

// needsCanonical reports whether dn may hold a space next to a separator or
// a ';' (most DNs hold neither, and are returned without copying).
func needsCanonical(dn string) bool {
	for i := 0; i < len(dn); i++ {
		switch dn[i] {
		case ';':
			return true
		case ' ':
			if i == 0 || i == len(dn)-1 || strings.IndexByte(",=+", dn[i-1]) >= 0 || strings.IndexByte(",=+", dn[i+1]) >= 0 {
				return true
			}
		}
	}
	return false
}

// rdnEnd is the index of the first unescaped ',' in dn, or len(dn).
func rdnEnd(dn string) int {
	for i := 0; i < len(dn); i++ {
		switch dn[i] {
		case '\\':
			i++
		case ',':
			return i
		}
	}
	return len(dn)
}

// splitRDNs splits a canonical DN into its RDNs, escapes kept.
func splitRDNs(dn string) []string {
	var rdns []string
	for dn != "" {
		end := rdnEnd(dn)
		rdns = append(rdns, dn[:end])
		if end == len(dn) {
			break
		}
		dn = dn[end+1:]
	}
	return rdns
}

// parentDN is the DN one level up ("" for a single RDN).
func parentDN(dn string) string {
	end := rdnEnd(dn)
	if end == len(dn) {
		return ""
	}
	return dn[end+1:]
}

// firstRDNValue is the value of a DN's first RDN ("Person" for
// "CN=Person,CN=Schema,…"), escapes kept.
func firstRDNValue(dn string) string {
	rdn := dn[:rdnEnd(dn)]
	if _, value, ok := strings.Cut(rdn, "="); ok {
		return value
	}
	return rdn
}

// isBelow reports whether canonical dn is strictly below canonical base.
func isBelow(dn, base string) bool {
	if base == "" {
		return dn != ""
	}
	n := len(dn) - len(base) - 1
	if n < 1 || dn[n] != ',' || !strings.EqualFold(dn[n+1:], base) {
		return false
	}
	// the ',' must not be escaped: an odd run of backslashes escapes it
	slashes := 0
	for i := n - 1; i >= 0 && dn[i] == '\\'; i-- {
		slashes++
	}
	return slashes%2 == 0
}

// escapeRDNValue escapes a value for use in a DN (RFC 4514).
func escapeRDNValue(v string) string {
	if v != "" && !strings.ContainsAny(v, ",+\"\\<>;#") && v[0] != ' ' && v[len(v)-1] != ' ' {
		return v
	}
	var b strings.Builder
	for i, r := range v {
		switch {
		case strings.ContainsRune(",+\"\\<>;", r),
			r == '#' && i == 0,
			r == ' ' && (i == 0 || i == len(v)-1):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldKey appends the lower-case form of s to buf: a map key that matches
// case-insensitively. ASCII is folded in place without allocating.
func foldKey(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return append(buf, strings.ToLower(s)...)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}
