package scanner

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// LDIFEntry is one record of an LDIF file. Its values are only valid during
// the call that receives it: the reader reuses their memory for the next one.
type LDIFEntry struct {
	DN   string
	Line int // where the record starts

	attrs   map[string]*ldifAttr // every attribute name seen in the file, lower case
	present []*ldifAttr          // those in this record, in order of appearance
	gen     uint64               // this record's number; an ldifAttr of an older one is absent
	arena   []byte               // this record's lines and values, back to back
}

// ldifAttr holds one attribute's values in the current record.
type ldifAttr struct {
	name   string
	gen    uint64
	values [][]byte
}

// maxLDIFAttrNames bounds the attribute names remembered across records, so a
// file of endless distinct names cannot grow the table without end.
const maxLDIFAttrNames = 4096

// Buffers a very large record (a group listing every user) grew are not kept
// for the records after it.
const (
	maxKeptArena  = 1 << 20
	maxKeptValues = 4096
)

// attr is the record's attribute of that name, nil when it has none.
func (e *LDIFEntry) attr(name string) *ldifAttr {
	var buf [64]byte
	key, ok := lowerASCII(buf[:0], name)
	var a *ldifAttr
	if ok {
		a = e.attrs[string(key)]
	} else {
		a = e.attrs[strings.ToLower(name)]
	}
	if a == nil || a.gen != e.gen {
		return nil
	}
	return a
}

func (e *LDIFEntry) values(attr string) [][]byte {
	if a := e.attr(attr); a != nil {
		return a.values
	}
	return nil
}

func (e *LDIFEntry) has(attr string) bool { return e.attr(attr) != nil }

func (e *LDIFEntry) first(attr string) string {
	if v := e.values(attr); len(v) > 0 {
		return string(v[0])
	}
	return ""
}

func (e *LDIFEntry) strings(attr string) []string { return strs(e.values(attr)) }

// reset starts a new record that begins on line num.
func (e *LDIFEntry) reset(num int) {
	e.gen++
	e.DN, e.Line = "", num
	for _, a := range e.present {
		if cap(a.values) > maxKeptValues {
			a.values = nil
		}
	}
	e.present = e.present[:0]
	e.arena = e.arena[:0]
	if cap(e.arena) > maxKeptArena {
		e.arena = nil
	}
	if len(e.attrs) > maxLDIFAttrNames {
		e.attrs = make(map[string]*ldifAttr)
	}
}

// add appends a value; name is lower case (a scratch buffer, copied when new).
func (e *LDIFEntry) add(name []byte, value []byte) {
	a := e.mark(name)
	a.values = append(a.values, value)
}

// mark records that the current record has the attribute, and returns it.
func (e *LDIFEntry) mark(name []byte) *ldifAttr {
	a := e.attrs[string(name)]
	if a == nil {
		a = &ldifAttr{name: string(name)}
		e.attrs[a.name] = a
	}
	if a.gen != e.gen {
		a.gen = e.gen
		a.values = a.values[:0]
		e.present = append(e.present, a)
	}
	return a
}

// kind says what the record describes, as kindOf does for its objectClass
// and objectCategory, without copying them out.
func (e *LDIFEntry) kind() Kind {
	has := func(class string) bool {
		for _, v := range e.values("objectClass") {
			if equalFold(v, class) {
				return true
			}
		}
		return false
	}
	if cat := e.values("objectCategory"); len(cat) > 0 && len(cat[0]) > 0 {
		name := categoryNameBytes(cat[0])
		switch {
		case equalFold(name, "person"):
			if has("user") {
				return KindUser
			}
			return 0
		case equalFold(name, "computer"):
			return KindComputer
		case equalFold(name, "group"):
			return KindGroup
		}
		return 0
	}
	switch {
	case has("computer"):
		return KindComputer
	case has("user"):
		return KindUser
	case has("group"):
		return KindGroup
	}
	return 0
}

// categoryNameBytes is categoryName for a value not yet made a string.
func categoryNameBytes(category []byte) []byte {
	first, _, _ := bytes.Cut(category, []byte(","))
	if _, value, ok := bytes.Cut(first, []byte("=")); ok {
		return bytes.TrimSpace(value)
	}
	return bytes.TrimSpace(first)
}

// equalFold is strings.EqualFold(string(b), s) without the copy.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return strings.EqualFold(string(b), s) // Unicode folding may change lengths
	}
	for i := range len(b) {
		c, d := b[i], s[i]
		if c >= utf8.RuneSelf || d >= utf8.RuneSelf {
			return strings.EqualFold(string(b), s)
		}
		if c != d && lowerByte(c) != lowerByte(d) {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerASCII appends s lower-cased to dst; ok is false (and dst unusable)
// when s is not ASCII, whose lower case strings.ToLower must decide.
func lowerASCII[T string | []byte](dst []byte, s T) ([]byte, bool) {
	for i := range len(s) {
		c := s[i]
		if c >= utf8.RuneSelf {
			return dst, false
		}
		dst = append(dst, lowerByte(c))
	}
	return dst, true
}

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
//
// A large export is millions of lines, so nothing is allocated per line: the
// lines of a record and its decoded values share one buffer, reused for the
// next record, and attribute names are looked up, not copied.
func ReadLDIF(r io.Reader, fn func(*LDIFEntry) error) error {
	return readLDIF(r, nil, fn)
}

// readLDIF is ReadLDIF keeping only the values of the attributes keep names.
func readLDIF(r io.Reader, keep func(lowerName []byte) bool, fn func(*LDIFEntry) error) error {
	p := &ldifParser{
		in:    bufio.NewReaderSize(r, 64*1024),
		entry: &LDIFEntry{attrs: make(map[string]*ldifAttr)},
		fn:    fn,
		keep:  keep,
	}
	return p.run()
}

// ldifParser turns physical lines into logical ones (folded continuations
// joined, comments dropped) and logical lines into records.
type ldifParser struct {
	in    *bufio.Reader
	num   int // physical lines read
	entry *LDIFEntry
	fn    func(*LDIFEntry) error
	// keep says which attributes' values to hold (nil: all). The others are
	// still parsed, so a malformed line is an error all the same, and still
	// present, but their values are not kept.
	keep func(lowerName []byte) bool

	started bool // a record has begun

	// The logical line being gathered: entry.arena[lineAt:], begun on line lineNum.
	inLine  bool
	comment bool
	lineAt  int
	lineNum int

	name []byte // scratch: the current attribute name, lower case
}

func (p *ldifParser) run() error {
	for {
		line, err := p.physical()
		if err == io.EOF {
			if err := p.endLine(); err != nil {
				return err
			}
			return p.flush()
		}
		if err != nil {
			return err
		}
		if len(line) > 0 && line[0] == ' ' {
			if !p.inLine {
				return &LDIFError{Line: p.num, Msg: "continuation line (starts with a space) with nothing before it"}
			}
			p.entry.arena = append(p.entry.arena, line[1:]...)
			continue
		}
		if err := p.endLine(); err != nil {
			return err
		}
		p.inLine, p.comment, p.lineNum = true, len(line) > 0 && line[0] == '#', p.num
		p.lineAt = len(p.entry.arena)
		p.entry.arena = append(p.entry.arena, line...)
	}
}

// physical reads the next line without its line end. The slice is only
// valid until the next read.
func (p *ldifParser) physical() ([]byte, error) {
	line, err := p.in.ReadSlice('\n')
	if err == bufio.ErrBufferFull { // a line longer than the buffer
		long := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			line, err = p.in.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
	}
	if err == io.EOF && len(line) == 0 {
		return nil, io.EOF
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	p.num++
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r")), nil
}

// endLine handles the logical line gathered so far, if any.
func (p *ldifParser) endLine() error {
	if !p.inLine {
		return nil
	}
	p.inLine = false
	line := p.entry.arena[p.lineAt:]
	if p.comment {
		p.entry.arena = p.entry.arena[:p.lineAt]
		return nil
	}
	if len(line) == 0 {
		return p.flush()
	}
	at := p.lineAt
	if !p.started {
		// The record's first line: whatever the arena held before was the
		// previous record's, so this line moves to the front.
		p.started = true
		// (append moves overlapping bytes safely, and copies them out when
		// reset has let a large arena go.)
		p.entry.reset(p.lineNum)
		p.entry.arena = append(p.entry.arena, line...)
		line, at = p.entry.arena, 0
	}
	return p.field(line, p.lineNum, at)
}

// field records one "attr: value" line of the current record, which starts
// at arena[at].
func (p *ldifParser) field(line []byte, num, at int) error {
	value, err := p.parseLine(line, num)
	if err != nil {
		return err
	}
	e := p.entry
	switch string(p.name) {
	case "dn":
		if e.DN != "" {
			return &LDIFError{Line: num, Msg: "second dn: in one record (is a blank line missing between entries?)"}
		}
		e.DN = string(value)
	case "changetype":
		if v := strings.ToLower(string(value)); v != "add" {
			return &LDIFError{Line: num, Msg: fmt.Sprintf("changetype %q: an export holds entries, not %s changes", v, v)}
		}
	default:
		if p.keep != nil && !p.keep(p.name) {
			e.mark(p.name)
			e.arena = e.arena[:at] // neither the line nor its value is needed
			return nil
		}
		e.add(p.name, value)
	}
	return nil
}

func (p *ldifParser) flush() error {
	if !p.started {
		return nil
	}
	p.started = false
	e := p.entry
	if e.DN == "" {
		if e.has("result") { // ldapsearch's summary record
			return nil
		}
		if e.has("version") && len(e.present) == 1 {
			return nil
		}
		return &LDIFError{Line: e.Line, Msg: "record without a dn: line"}
	}
	if err := p.fn(e); err != nil {
		return &emitError{err: err}
	}
	return nil
}

// parseLine splits "attr: value", "attr:: base64" and "attr:< url" into
// p.name (lower case, without options) and the value, which is decoded in
// place at the end of the record's buffer.
func (p *ldifParser) parseLine(line []byte, num int) ([]byte, error) {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return nil, &LDIFError{Line: num, Msg: fmt.Sprintf("expected \"attribute: value\", got %q", truncate(line, 60))}
	}
	var ok bool
	if p.name, ok = lowerASCII(p.name[:0], line[:colon]); !ok {
		p.name = append(p.name[:0], strings.ToLower(string(line[:colon]))...)
	}
	if semi := bytes.IndexByte(p.name, ';'); semi >= 0 {
		p.name = p.name[:semi]
	}
	if bytes.ContainsAny(p.name, " \t") {
		return nil, &LDIFError{Line: num, Msg: fmt.Sprintf("attribute name %q contains a space", truncate(line[:colon], 60))}
	}
	rest := line[colon+1:]
	switch {
	case len(rest) > 0 && rest[0] == ':':
		text := bytes.TrimSpace(rest[1:])
		e := p.entry
		at := len(e.arena)
		e.arena = slices.Grow(e.arena, base64.StdEncoding.DecodedLen(len(text)))
		text = bytes.TrimSpace(line[colon+2:]) // the arena may have moved
		value := e.arena[at : at+base64.StdEncoding.DecodedLen(len(text))]
		n, err := base64.StdEncoding.Decode(value, text)
		if err != nil {
			return nil, &LDIFError{Line: num, Msg: fmt.Sprintf("%s: bad base64 value: %v", p.name, err)}
		}
		e.arena = e.arena[:at+n]
		return value[:n:n], nil
	case len(rest) > 0 && rest[0] == '<':
		return nil, &LDIFError{Line: num, Msg: fmt.Sprintf("%s: values loaded from URLs (:<) are not read; export with the value inline", p.name)}
	}
	value := bytes.TrimLeft(rest, " ")
	return value[:len(value):len(value)], nil
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
