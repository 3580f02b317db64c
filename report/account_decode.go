package report

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/calscan/calscan/rules"
)

// The string fields decodeAccountFast fills, as indexes of its value spans.
const (
	fastDomain = iota
	fastName
	fastDisplayName
	fastUPN
	fastDNSName
	fastOperatingSystem
	fastDN
	fastSID
	fastExcluded
	fastCALType
	fastCALVersion
	fastRDSCALType
	fastRDSCALVersion
	fastRDSIssuedVersion
	fastRDSLicenseServer
	fastStrings // how many
)

// decodeAccountFast decodes one account as report.json writes it, without
// reflection, into *a (whatever a held before is discarded). It reports
// false for anything outside that shape, and the caller then decodes raw
// with json.Unmarshal into a zero Account: when it reports true, *a is
// exactly what that would have made.
//
// The shape: a JSON object whose keys are exactly (byte for byte) the JSON
// names of rules.Account's fields, whitespace between tokens, strings of
// valid UTF-8 with no control character and no escape but the two-character
// ones (\" \\ \/ \b \f \n \r \t: "CN=Doe\\, John" is common; \u is not
// taken), true or false for the bool fields, the time fields given to
// (*time.Time).UnmarshalJSON on their raw quoted bytes as encoding/json does,
// and "rds" an object of the same kind with the keys of rules.AccountRDS. A
// repeated key overwrites the earlier value, and a repeated "rds" merges into
// the earlier one, both as encoding/json does. Anything else (another key or
// the same in another case, null, a \u escape, a number, a type mismatch, a
// syntax error) is false.
func decodeAccountFast(raw []byte, a *rules.Account) bool {
	var (
		spans             [fastStrings]fastSpan // of each string value in raw; the zero span is ""
		lastLogon         time.Time
		created           time.Time
		issuedExpires     time.Time
		counted, external bool
		hasRDS            bool
	)
	s := fastScanner{b: raw}
	s.space()
	ok := s.object(func(key []byte) bool {
		switch string(key) {
		case "domain":
			return s.strSpan(&spans[fastDomain])
		case "name":
			return s.strSpan(&spans[fastName])
		case "display_name":
			return s.strSpan(&spans[fastDisplayName])
		case "upn":
			return s.strSpan(&spans[fastUPN])
		case "dns_name":
			return s.strSpan(&spans[fastDNSName])
		case "operating_system":
			return s.strSpan(&spans[fastOperatingSystem])
		case "dn":
			return s.strSpan(&spans[fastDN])
		case "sid":
			return s.strSpan(&spans[fastSID])
		case "last_logon":
			return s.time(&lastLogon)
		case "created":
			return s.time(&created)
		case "counted":
			return s.bool(&counted)
		case "excluded":
			return s.strSpan(&spans[fastExcluded])
		case "cal_type":
			return s.strSpan(&spans[fastCALType])
		case "cal_version":
			return s.strSpan(&spans[fastCALVersion])
		case "external":
			return s.bool(&external)
		case "rds":
			// encoding/json decodes a repeated object into the
			// AccountRDS the first one made: the fields merge.
			hasRDS = true
			return s.rds(&spans, &issuedExpires)
		}
		return false
	})
	if !ok {
		return false
	}
	s.space()
	if s.i != len(raw) {
		return false
	}

	// One allocation for every string of the account (unescaping only
	// shortens a string).
	total := 0
	for _, sp := range spans {
		total += sp.end - sp.start
	}
	var sb strings.Builder
	sb.Grow(total)
	var ends [fastStrings]int
	for k, sp := range spans {
		if sp.escaped {
			writeUnescaped(&sb, raw[sp.start:sp.end])
		} else {
			sb.Write(raw[sp.start:sp.end])
		}
		ends[k] = sb.Len()
	}
	all := sb.String()
	var str [fastStrings]string
	off := 0
	for k, end := range ends {
		str[k] = all[off:end]
		off = end
	}

	*a = rules.Account{
		Domain:          str[fastDomain],
		Name:            str[fastName],
		DisplayName:     str[fastDisplayName],
		UPN:             str[fastUPN],
		DNSName:         str[fastDNSName],
		OperatingSystem: str[fastOperatingSystem],
		DN:              str[fastDN],
		SID:             str[fastSID],
		LastLogon:       lastLogon,
		Created:         created,
		Counted:         counted,
		Excluded:        rules.Reason(str[fastExcluded]),
		CALType:         rules.CALType(str[fastCALType]),
		CALVersion:      str[fastCALVersion],
		External:        external,
	}
	if hasRDS {
		a.RDS = &rules.AccountRDS{
			CALType:       rules.CALType(str[fastRDSCALType]),
			CALVersion:    str[fastRDSCALVersion],
			IssuedVersion: str[fastRDSIssuedVersion],
			IssuedExpires: issuedExpires,
			LicenseServer: str[fastRDSLicenseServer],
		}
	}
	return true
}

// fastScanner reads the tokens decodeAccountFast accepts.
type fastScanner struct {
	b []byte
	i int
}

// space skips JSON whitespace.
func (s *fastScanner) space() {
	b, i := s.b, s.i
	for i < len(b) && b[i] <= ' ' && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	s.i = i
}

// eat consumes c if it is next.
func (s *fastScanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// fastSpan is where a string value's contents are in the account's text.
type fastSpan struct {
	start, end int
	escaped    bool // holds a backslash escape
}

// str reads a string (no control character, only two-character escapes)
// and returns where its contents are. It does not check UTF-8.
func (s *fastScanner) str() (start, end int, ok bool) {
	start, _, ok = s.strRaw()
	return start, s.i - 1, ok
}

// Facts about a string's contents from strRaw.
const (
	strNonASCII = 1 << iota
	strEscaped
)

// strRaw is str, also telling whether the contents have bytes above ASCII
// or escapes.
func (s *fastScanner) strRaw() (start int, facts uint8, ok bool) {
	if !s.eat('"') {
		return 0, 0, false
	}
	b := s.b
	start = s.i
	for i := start; i < len(b); i++ {
		switch strByte[b[i]] {
		case strPlain:
		case strQuote:
			s.i = i + 1
			return start, facts, true
		case strHigh:
			facts |= strNonASCII
		case strBackslash:
			if i+1 >= len(b) || unescaped[b[i+1]] == 0 {
				return 0, 0, false // \u, or not JSON
			}
			facts |= strEscaped
			i++
		default:
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// What a byte is inside a string, for strRaw.
const (
	strPlain = iota // printable ASCII but '"' and '\\'
	strQuote
	strHigh // part of a multi-byte UTF-8 sequence, or not UTF-8
	strBackslash
	strStop // a control character
)

var strByte = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c < 0x20:
			t[c] = strStop
		case c == '\\':
			t[c] = strBackslash
		case c == '"':
			t[c] = strQuote
		case c >= 0x80:
			t[c] = strHigh
		}
	}
	return t
}()

// unescaped maps the byte after a backslash to the byte the escape stands
// for, for the two-character escapes of JSON; 0 for anything else (\u too).
var unescaped = [256]byte{
	'"': '"', '\\': '\\', '/': '/',
	'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t',
}

// writeUnescaped writes the contents of a string that strRaw read, its
// escapes replaced by what they stand for.
func writeUnescaped(sb *strings.Builder, b []byte) {
	for {
		i := bytes.IndexByte(b, '\\')
		if i < 0 {
			sb.Write(b)
			return
		}
		sb.Write(b[:i])
		sb.WriteByte(unescaped[b[i+1]])
		b = b[i+2:]
	}
}

// strSpan reads a string value whose text is its raw bytes, escapes aside:
// valid UTF-8 (encoding/json would replace invalid bytes with U+FFFD; the
// escapes stand for ASCII, so the text is valid if and only if the raw
// bytes are).
func (s *fastScanner) strSpan(sp *fastSpan) bool {
	start, facts, ok := s.strRaw()
	if !ok {
		return false
	}
	end := s.i - 1
	if facts&strNonASCII != 0 && !utf8.Valid(s.b[start:end]) {
		return false
	}
	*sp = fastSpan{start, end, facts&strEscaped != 0}
	return true
}

// time reads a string and hands it, quotes and all, to
// (*time.Time).UnmarshalJSON, as encoding/json does. It overwrites *t.
func (s *fastScanner) time(t *time.Time) bool {
	start := s.i
	if _, _, ok := s.str(); !ok {
		return false
	}
	var v time.Time
	if err := v.UnmarshalJSON(s.b[start:s.i]); err != nil {
		return false
	}
	*t = v
	return true
}

// bool reads true or false.
func (s *fastScanner) bool(v *bool) bool {
	rest := s.b[s.i:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		*v = true
		s.i += 4
	case len(rest) >= 5 && string(rest[:5]) == "false":
		*v = false
		s.i += 5
	default:
		return false
	}
	// A literal runs on to the next delimiter: "truex" is no token.
	if s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r', ',', '}':
		default:
			return false
		}
	}
	return true
}

// rds reads the "rds" object into the spans and time it sets, leaving the
// fields it does not name as they are.
func (s *fastScanner) rds(spans *[fastStrings]fastSpan, expires *time.Time) bool {
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "cal_type":
			return s.strSpan(&spans[fastRDSCALType])
		case "cal_version":
			return s.strSpan(&spans[fastRDSCALVersion])
		case "issued_version":
			return s.strSpan(&spans[fastRDSIssuedVersion])
		case "issued_expires":
			return s.time(expires)
		case "license_server":
			return s.strSpan(&spans[fastRDSLicenseServer])
		}
		return false
	})
}

// object reads an object, calling value for each key with the scanner at
// the key's value: value reads it, or reports false for a key or value
// outside the shape.
func (s *fastScanner) object(value func(key []byte) bool) bool {
	if !s.eat('{') {
		return false
	}
	s.space()
	if s.eat('}') {
		return true
	}
	for {
		ks, ke, ok := s.str()
		if !ok {
			return false
		}
		s.space()
		if !s.eat(':') {
			return false
		}
		s.space()
		if !value(s.b[ks:ke]) {
			return false
		}
		s.space()
		if s.eat(',') {
			s.space()
			continue
		}
		return s.eat('}')
	}
}
