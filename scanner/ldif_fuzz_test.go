package scanner

// The LDIF reader avoids allocating per line, which makes it intricate. The
// reader it replaced, kept here as the reference, did the simple thing;
// FuzzReadLDIFMatchesReference holds the two to the same entries, values,
// line numbers and error messages for any input.

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// ldifRecord is one entry as both readers see it, copied out.
type ldifRecord struct {
	dn    string
	line  int
	kind  Kind
	attrs map[string][][]byte
}

func readerRecords(data []byte, keep func([]byte) bool) ([]ldifRecord, error) {
	var out []ldifRecord
	err := readLDIF(bytes.NewReader(data), keep, func(e *LDIFEntry) error {
		r := ldifRecord{dn: e.DN, line: e.Line, kind: e.kind(), attrs: map[string][][]byte{}}
		for _, a := range e.present {
			r.attrs[a.name] = cloneValues(e.values(a.name))
		}
		if want := kindOf(e.strings("objectClass"), e.first("objectCategory")); r.kind != want {
			return fmt.Errorf("kind %v, kindOf says %v", r.kind, want)
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

func referenceRecords(data []byte) ([]ldifRecord, error) {
	var out []ldifRecord
	err := refReadLDIF(bytes.NewReader(data), func(e *refEntry) error {
		r := ldifRecord{dn: e.DN, line: e.Line, kind: kindOf(e.strings("objectClass"), e.first("objectCategory")), attrs: map[string][][]byte{}}
		for name, values := range e.attrs {
			r.attrs[name] = cloneValues(values)
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

func cloneValues(values [][]byte) [][]byte {
	out := make([][]byte, len(values))
	for i, v := range values {
		out[i] = bytes.Clone(v)
	}
	return out
}

func sameRecords(a, b []ldifRecord) bool {
	return slices.EqualFunc(a, b, func(x, y ldifRecord) bool {
		if x.dn != y.dn || x.line != y.line || x.kind != y.kind || len(x.attrs) != len(y.attrs) {
			return false
		}
		for name, xv := range x.attrs {
			if !slices.EqualFunc(xv, y.attrs[name], bytes.Equal) {
				return false
			}
		}
		return true
	})
}

// withoutValues is records with the values of attributes keep does not name dropped.
func withoutValues(records []ldifRecord, keep func([]byte) bool) []ldifRecord {
	for _, r := range records {
		for name := range r.attrs {
			if !keep([]byte(name)) {
				r.attrs[name] = [][]byte{}
			}
		}
	}
	return records
}

func FuzzReadLDIFMatchesReference(f *testing.F) {
	for _, file := range []string{"ldifde.ldif", "ldapsearch.ldif"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"dn: CN=a,DC=x\nobjectClass: user\n\ndn: CN=b,DC=x\nobjectClass: computer\n",
		"version: 1\n\n# comment\n continued comment\ndn:: Q049YSxEQz14\nobjectSid:: AQ==\nmemberOf;range=0-1: CN=g\n",
		"\n x\ndn: CN=a\n", " leading\n", "dn: CN=a\ndn: CN=b\n", "dn: CN=a\r\nchangetype: modify\r\n",
		"dn: CN=a\nOBJECTCLASS: User\nobjectCategory: CN=Person,CN=Schema\n", "dn:\ndn: x\n", "search: 2\nresult: 0 Success\n",
		"dn: CN=a\nname\twith tab: x\n", "dn: CN=a\nÉ: 1\n\xff: 2\n", "dn: CN=a\nobjectClass: uſer\n",
		"dn: CN=a\ndisplayName::  PHNjcmlwdD4= \n", "dn: CN=a\nphoto:< file:///x\n", "dn: CN=a\nx:: !!\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := referenceRecords(data)
		for _, keep := range []func([]byte) bool{nil, scanAttribute} {
			got, gotErr := readerRecords(data, keep)
			if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
				t.Fatalf("error %v, reference %v", gotErr, wantErr)
			}
			if keep != nil {
				want, _ = referenceRecords(data)
				want = withoutValues(want, keep)
			}
			if !sameRecords(got, want) {
				t.Fatalf("records differ (keeping all: %t)\n got %+v\nwant %+v", keep == nil, got, want)
			}
		}
	})
}

// Every long line goes through the reader's overflow path: the same records.
func TestReadLDIFLongLines(t *testing.T) {
	for _, size := range []int{64<<10 - 1, 64 << 10, 200 << 10} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			long := strings.Repeat("x", size)
			data := []byte("dn: CN=a,DC=x\nobjectClass: user\ndisplayName: " + long + "\ndescription:: " +
				base64.StdEncoding.EncodeToString([]byte(long)) + "\n\ndn: CN=b,DC=x\nobjectClass: group\n")
			got, err := readerRecords(data, nil)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := referenceRecords(data)
			if len(got) != 2 || !sameRecords(got, want) || string(got[0].attrs["displayname"][0]) != long {
				t.Fatalf("a %d-byte value was not read whole", size)
			}
		})
	}
}

// refEntry is one record of an LDIF file.
type refEntry struct {
	DN    string
	Line  int // where the record starts
	attrs map[string][][]byte
}

func (e *refEntry) values(attr string) [][]byte { return e.attrs[strings.ToLower(attr)] }

func (e *refEntry) first(attr string) string {
	if v := e.values(attr); len(v) > 0 {
		return string(v[0])
	}
	return ""
}

func (e *refEntry) strings(attr string) []string { return strs(e.values(attr)) }

// refReadLDIF parses RFC 2849 content records as ldifde and ldapsearch write
// them: comments, folded lines, base64 (::) values, CRLF line ends, an
// optional "version: 1" and "changetype: add". Attribute options such as
// ";binary" are dropped. ldapsearch's trailing "search:/result:" record is
// skipped. fn is called once per entry; the entry is reused afterwards.
func refReadLDIF(r io.Reader, fn func(*refEntry) error) error {
	lr := &refLines{r: bufio.NewReaderSize(r, 64*1024)}
	entry := &refEntry{attrs: map[string][][]byte{}}
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
		name, value, err := refParseLine(line, num)
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

// refParseLine splits "attr: value", "attr:: base64" and "attr:< url".
// The attribute name is lower-cased and loses its options.
func refParseLine(line []byte, num int) (string, []byte, error) {
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

// refLines yields logical lines: folded continuations joined, comments
// dropped, CR stripped, with the number of the line each starts on.
type refLines struct {
	r       *bufio.Reader
	num     int
	pending []byte // a physical line read ahead
	hasPend bool
	pendNum int
}

func (l *refLines) physical() ([]byte, int, error) {
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

func (l *refLines) next() ([]byte, int, error) {
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
