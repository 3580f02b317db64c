package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/calscan/calscan/rules"
)

// JSONFile is the name of the machine-readable report.
const JSONFile = "report.json"

// JSON writes report.json: indented, with a trailing newline.
type JSON struct{}

var _ Writer = (*JSON)(nil)

// Format implements Writer.
func (*JSON) Format() string { return FormatJSON }

// Files implements Writer.
func (*JSON) Files() []string { return []string{JSONFile} }

// Write implements Writer. The output is exactly what encoding/json makes of
// the Report, but the users and devices lists are streamed one account at a
// time: encoding a large directory in one piece buffers it several times over.
func (j *JSON) Write(name string, w io.Writer, r *Report) error {
	if name != JSONFile {
		return errUnknownFile(j, name)
	}
	res := rules.Result{}
	if r.Result != nil {
		res = *r.Result
	}
	lists := []struct {
		key      string
		accounts rules.Accounts
	}{
		{"users", res.Users},
		{"devices", res.Devices},
	}

	// Everything but the account lists, which are left empty to be filled in.
	head := *r
	res.Users, res.Devices = rules.Accounts{}, rules.Accounts{}
	head.Result = &res
	var doc bytes.Buffer
	if err := newJSONEncoder(&doc, "").Encode(&head); err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}

	rest := doc.Bytes()
	for _, list := range lists {
		// A top-level key is the only place a newline, two spaces and a quote
		// can appear: newlines inside strings are escaped.
		marker := []byte("\n  \"" + list.key + "\": [")
		i := bytes.Index(rest, marker)
		if i < 0 {
			return fmt.Errorf("encode %s: no top-level %q list", name, list.key)
		}
		i += len(marker)
		if _, err := w.Write(rest[:i]); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		if err := writeAccounts(w, list.accounts); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		rest = rest[i:]
	}
	if _, err := w.Write(rest); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// writeAccounts writes the elements of a top-level list as encoding/json
// would indent them, leaving the closing bracket to the caller. Each account
// is encoded compactly by encoding/json and indented by indentJSON, which
// takes a fraction of the encoder's own indenting time on a million accounts.
func writeAccounts(w io.Writer, accounts rules.Accounts) error {
	if accounts.Len() == 0 {
		return nil
	}
	const indent = "    "
	var compact bytes.Buffer
	var out []byte
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false) // as newJSONEncoder
	for i, a := range accounts.All() {
		compact.Reset()
		if err := enc.Encode(&a); err != nil {
			return err
		}
		out = append(out[:0], "\n"+indent...)
		out = indentJSON(out, bytes.TrimSuffix(compact.Bytes(), []byte("\n")), indent, "  ")
		if i < accounts.Len()-1 {
			out = append(out, ',')
		}
		if _, err := w.Write(out); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "\n  ")
	return err
}

// indentJSON appends src, compact JSON as encoding/json writes it, to dst
// indented exactly as json.Indent would (empty objects and arrays stay {}
// and []). Strings are copied whole: their punctuation is not structure.
func indentJSON(dst, src []byte, prefix, indent string) []byte {
	newline := func(dst []byte, depth int) []byte {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, indent...)
		}
		return dst
	}
	depth, needIndent := 0, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			dst = newline(dst, depth)
		}
		switch c {
		case '"':
			end := i + 1
			for end < len(src) && src[end] != '"' {
				if src[end] == '\\' {
					end++
				}
				end++
			}
			end = min(end, len(src)-1)
			dst = append(dst, src[i:end+1]...)
			i = end
		case '{', '[':
			needIndent = true
			dst = append(dst, c)
		case ',':
			dst = newline(append(dst, c), depth)
		case ':':
			dst = append(dst, ':', ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				dst = newline(dst, depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func newJSONEncoder(w io.Writer, prefix string) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetIndent(prefix, "  ")
	// Display names like "R&D" stay readable; report.json is never served as HTML.
	enc.SetEscapeHTML(false)
	return enc
}
