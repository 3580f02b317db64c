package scanner

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rs/zerolog"
)

// LDIF reads an offline export (ldifde -f, or ldapsearch -LLL) of a domain,
// for auditors who are handed a file instead of credentials.
type LDIF struct {
	name   string
	path   string
	baseDN string // when set, entries outside this subtree are skipped
	log    zerolog.Logger
}

var _ Source = (*LDIF)(nil)

// NewLDIF reads the export at path as the directory called name.
func NewLDIF(name, path, baseDN string, log zerolog.Logger) *LDIF {
	return &LDIF{name: name, path: path, baseDN: baseDN, log: log}
}

// Name is the [[directory]] name.
func (l *LDIF) Name() string { return l.name }

// Scan streams the export's users, computers and groups; one entry is in
// memory at a time. A malformed file fails with its line number.
func (l *LDIF) Scan(ctx context.Context, emit func(*Object) error) error {
	f, err := os.Open(l.path)
	if err != nil {
		return &DirectoryError{Directory: l.name, Op: "read", Err: err}
	}
	defer f.Close()
	counts := map[Kind]int{}
	var obj Object
	err = ReadLDIF(f, func(e *LDIFEntry) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if l.baseDN != "" && !underDN(e.DN, l.baseDN) {
			return nil
		}
		kind := kindOf(e.strings("objectClass"), e.first("objectCategory"))
		if kind == 0 {
			return nil
		}
		if err := decodeObject(&obj, kind, l.name, e.DN, e.values); err != nil {
			l.log.Warn().Int("line", e.Line).Str("dn", e.DN).Err(err).Msg("value not understood; the rest of the entry is used")
		}
		counts[kind]++
		return emit(&obj)
	})
	if err != nil {
		var ee *emitError
		if errors.As(err, &ee) {
			return ee.err
		}
		return &DirectoryError{Directory: l.name, Op: "read", Err: fmt.Errorf("%s: %w", l.path, err)}
	}
	l.log.Info().Str("file", l.path).Int("users", counts[KindUser]).Int("computers", counts[KindComputer]).Int("groups", counts[KindGroup]).Msg("export read")
	return nil
}

// underDN reports whether dn is base or inside its subtree (case-insensitive,
// spaces after commas ignored).
func underDN(dn, base string) bool {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), ", ", ",")) }
	d, b := norm(dn), norm(base)
	return d == b || strings.HasSuffix(d, ","+b)
}

// LDIFEntry is one record of an LDIF file.
type LDIFEntry struct {
	DN    string
	Line  int // where the record starts
	attrs map[string][][]byte
}

func (e *LDIFEntry) values(attr string) [][]byte { return e.attrs[strings.ToLower(attr)] }

func (e *LDIFEntry) first(attr string) string {
	if v := e.values(attr); len(v) > 0 {
		return string(v[0])
	}
	return ""
}

func (e *LDIFEntry) strings(attr string) []string { return strs(e.values(attr)) }

// LDIFError is a malformed line in an LDIF file.
type LDIFError struct {
	Line int
	Msg  string
}

func (e *LDIFError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// ReadLDIF parses RFC 2849 content records as ldifde and ldapsearch write
// them: comments, folded lines, base64 (::) values, CRLF line ends, an
// optional "version: 1" and "changetype: add". Attribute options such as
// ";binary" are dropped. ldapsearch's trailing "search:/result:" record is
// skipped. fn is called once per entry; the entry is reused afterwards.
func ReadLDIF(r io.Reader, fn func(*LDIFEntry) error) error {
	lr := &ldifLines{r: bufio.NewReaderSize(r, 64*1024)}
	entry := &LDIFEntry{attrs: map[string][][]byte{}}
	started := false
	flush := func() error {
		if !started {
			return nil
		}
		started = false
		if entry.DN == "" {
			if _, ok := entry.attrs["result"]; ok { // ldapsearch's summary record
				return nil
			}
			if _, ok := entry.attrs["version"]; ok && len(entry.attrs) == 1 {
				return nil
			}
			return &LDIFError{Line: entry.Line, Msg: "record without a dn: line"}
		}
		if err := fn(entry); err != nil {
			return &emitError{err: err}
		}
		return nil
	}
	for {
		line, num, err := lr.next()
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return err
		}
		if len(line) == 0 {
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		if !started {
			started = true
			clear(entry.attrs)
			entry.DN, entry.Line = "", num
		}
		name, value, err := parseLDIFLine(line, num)
		if err != nil {
			return err
		}
		switch name {
		case "dn":
			if entry.DN != "" {
				return &LDIFError{Line: num, Msg: "second dn: in one record (is a blank line missing between entries?)"}
			}
			entry.DN = string(value)
		case "changetype":
			if v := strings.ToLower(string(value)); v != "add" {
				return &LDIFError{Line: num, Msg: fmt.Sprintf("changetype %q: an export holds entries, not %s changes", v, v)}
			}
		default:
			entry.attrs[name] = append(entry.attrs[name], value)
		}
	}
}

// parseLDIFLine splits "attr: value", "attr:: base64" and "attr:< url".
// The attribute name is lower-cased and loses its options.
func parseLDIFLine(line []byte, num int) (string, []byte, error) {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return "", nil, &LDIFError{Line: num, Msg: fmt.Sprintf("expected \"attribute: value\", got %q", truncate(line, 60))}
	}
	name := strings.ToLower(string(line[:colon]))
	if semi := strings.IndexByte(name, ';'); semi >= 0 {
		name = name[:semi]
	}
	if strings.ContainsAny(name, " \t") {
		return "", nil, &LDIFError{Line: num, Msg: fmt.Sprintf("attribute name %q contains a space", truncate(line[:colon], 60))}
	}
	rest := line[colon+1:]
	switch {
	case len(rest) > 0 && rest[0] == ':':
		text := bytes.TrimSpace(rest[1:])
		value := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
		n, err := base64.StdEncoding.Decode(value, text)
		if err != nil {
			return "", nil, &LDIFError{Line: num, Msg: fmt.Sprintf("%s: bad base64 value: %v", name, err)}
		}
		return name, value[:n], nil
	case len(rest) > 0 && rest[0] == '<':
		return "", nil, &LDIFError{Line: num, Msg: fmt.Sprintf("%s: values loaded from URLs (:<) are not read; export with the value inline", name)}
	}
	value := bytes.TrimLeft(rest, " ")
	return name, append([]byte(nil), value...), nil
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// ldifLines yields logical lines: folded continuations joined, comments
// dropped, CR stripped, with the number of the line each starts on.
type ldifLines struct {
	r       *bufio.Reader
	num     int
	pending []byte // a physical line read ahead
	hasPend bool
	pendNum int
}

func (l *ldifLines) physical() ([]byte, int, error) {
	if l.hasPend {
		l.hasPend = false
		return l.pending, l.pendNum, nil
	}
	line, err := l.r.ReadBytes('\n')
	if err == io.EOF && len(line) == 0 {
		return nil, 0, io.EOF
	}
	if err != nil && err != io.EOF {
		return nil, 0, err
	}
	l.num++
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	return line, l.num, nil
}

func (l *ldifLines) next() ([]byte, int, error) {
	for {
		line, num, err := l.physical()
		if err != nil {
			return nil, 0, err
		}
		if len(line) > 0 && line[0] == ' ' {
			return nil, 0, &LDIFError{Line: num, Msg: "continuation line (starts with a space) with nothing before it"}
		}
		comment := len(line) > 0 && line[0] == '#'
		out := append([]byte(nil), line...)
		for { // join folded continuation lines
			more, moreNum, err := l.physical()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, 0, err
			}
			if len(more) > 0 && more[0] == ' ' {
				out = append(out, more[1:]...)
				continue
			}
			l.pending, l.pendNum, l.hasPend = more, moreNum, true
			break
		}
		if comment {
			continue
		}
		return out, num, nil
	}
}
