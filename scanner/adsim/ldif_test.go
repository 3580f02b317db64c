package adsim

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// parseLDIF is a minimal reader of WriteLDIF's output: unfolds continuation
// lines, splits entries at blank lines, decodes "::" values.
func parseLDIF(data []byte) ([]*Entry, error) {
	var (
		entries []*Entry
		cur     *Entry
		lines   []string
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, " ") {
			if len(lines) == 0 {
				return nil, fmt.Errorf("continuation with nothing to continue")
			}
			lines[len(lines)-1] += line[1:]
			continue
		}
		lines = append(lines, line)
	}
	for _, line := range lines {
		if line == "" {
			cur = nil
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("line without a colon: %q", line)
		}
		switch {
		case strings.HasPrefix(value, ": "):
			raw, err := base64.StdEncoding.DecodeString(value[2:])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			value = string(raw)
		case strings.HasPrefix(value, " "):
			value = value[1:]
		case value != "":
			return nil, fmt.Errorf("no space after the colon: %q", line)
		}
		if name == "dn" {
			if cur != nil {
				return nil, fmt.Errorf("dn %q inside an entry", value)
			}
			cur = &Entry{DN: value, Attrs: map[string][]string{}}
			entries = append(entries, cur)
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("attribute %q before a dn", name)
		}
		cur.Attrs[name] = append(cur.Attrs[name], value)
	}
	return entries, sc.Err()
}

func TestWriteLDIF(t *testing.T) {
	t.Parallel()
	awkward := &Directory{BaseDN: testBase, Entries: []*Entry{{
		DN: "CN=Awkward,DC=ex,DC=test",
		Attrs: map[string][]string{
			"objectClass": {"top", "person"},
			"description": {" leading space", "trailing space ", ":colon first", "<angle first", "line\nbreak", "cr\rhere", "", "plain, with: punctuation"},
			"info":        {strings.Repeat("long value ", 30)},
			"objectSid":   {encodeSID(21, 1, 2, 3, 500)},
			"displayName": {"Zoë O'Brien-Łukasz"},
		},
	}}}
	tests := []struct {
		name string
		dir  *Directory
	}{
		{"awkward values", awkward},
		{"company", Company(CompanyOptions{Users: 200, Computers: 40, Now: testNow})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := tt.dir.WriteLDIF(&buf); err != nil {
				t.Fatal(err)
			}
			out := buf.Bytes()
			for i, line := range strings.Split(string(out), "\n") {
				if len(line) > ldifWidth {
					t.Errorf("line %d is %d columns: %q", i+1, len(line), line)
				}
				for _, r := range line {
					if r > 0x7e {
						t.Fatalf("line %d holds non-ASCII %q: it should be base64", i+1, line)
					}
				}
			}
			if !bytes.HasSuffix(out, []byte("\n\n")) {
				t.Error("the last entry does not end with a blank line")
			}
			got, err := parseLDIF(out)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if len(got) != len(tt.dir.Entries) {
				t.Fatalf("parsed %d entries, wrote %d", len(got), len(tt.dir.Entries))
			}
			for i, want := range tt.dir.Entries {
				if got[i].DN != want.DN {
					t.Errorf("entry %d: dn %q, want %q", i, got[i].DN, want.DN)
				}
				if len(got[i].Attrs) != len(want.Attrs) {
					t.Errorf("%s: %d attributes, want %d", want.DN, len(got[i].Attrs), len(want.Attrs))
				}
				for name, values := range want.Attrs {
					if !slices.Equal(got[i].Attrs[name], values) {
						t.Errorf("%s: %s = %q, want %q", want.DN, name, got[i].Attrs[name], values)
					}
				}
			}
		})
	}
}

func TestLDIFShape(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	d := &Directory{Entries: []*Entry{{DN: "CN=a,DC=ex", Attrs: map[string][]string{
		"sn": {"A"}, "objectClass": {"top", "person"}, "cn": {"a"}, "description": {" x"},
	}}}}
	if err := d.WriteLDIF(&buf); err != nil {
		t.Fatal(err)
	}
	want := "dn: CN=a,DC=ex\nobjectClass: top\nobjectClass: person\ncn: a\ndescription:: IHg=\nsn: A\n\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}
