package adsim

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"sort"
	"strings"
)

// ldifWidth is where ldapsearch folds long lines.
const ldifWidth = 76

// WriteLDIF writes the directory as an LDIF export in the shape of
// `ldapsearch -LLL`: dn first, objectClass then the other attributes by name,
// base64 (`::`) for binary or unsafe values, lines folded at 76 columns, a
// blank line after each entry.
func (d *Directory) WriteLDIF(w io.Writer) error {
	bw := bufio.NewWriter(w)
	var line []byte
	for _, e := range d.Entries {
		line = writeLDIFLine(bw, line, "dn", e.DN)
		for _, name := range ldifAttributeOrder(e) {
			for _, v := range e.Attrs[name] {
				line = writeLDIFLine(bw, line, name, v)
			}
		}
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write ldif: %w", err)
	}
	return nil
}

// ldifAttributeOrder is objectClass first, then the rest case-insensitively.
func ldifAttributeOrder(e *Entry) []string {
	names := make([]string, 0, len(e.Attrs))
	for n := range e.Attrs {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		oi, oj := strings.EqualFold(names[i], "objectClass"), strings.EqualFold(names[j], "objectClass")
		if oi != oj {
			return oi
		}
		li, lj := strings.ToLower(names[i]), strings.ToLower(names[j])
		if li != lj {
			return li < lj
		}
		return names[i] < names[j]
	})
	return names
}

// writeLDIFLine writes "name: value" or "name:: base64", folded; line is
// reusable scratch space. Write errors surface at Flush.
func writeLDIFLine(w *bufio.Writer, line []byte, name, value string) []byte {
	line = append(line[:0], name...)
	line = append(line, ':')
	switch {
	case value == "":
	case ldifSafe(value):
		line = append(line, ' ')
		line = append(line, value...)
	default:
		line = append(line, ": "...)
		line = base64.StdEncoding.AppendEncode(line, []byte(value))
	}
	rest := line
	width := ldifWidth
	for len(rest) > width {
		w.Write(rest[:width])
		w.WriteString("\n ")
		rest = rest[width:]
		width = ldifWidth - 1
	}
	w.Write(rest)
	w.WriteByte('\n')
	return line
}

// ldifSafe reports whether a value may be written as-is (RFC 2849
// SAFE-STRING, printable ASCII, no trailing space), as ldapsearch decides.
func ldifSafe(v string) bool {
	switch v[0] {
	case ' ', ':', '<':
		return false
	}
	if v[len(v)-1] == ' ' {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] >= 0x7f {
			return false
		}
	}
	return true
}
