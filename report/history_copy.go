package report

import (
	"fmt"
	"io"
	"os"
)

// copyOfJSON is a Writer whose report.json is a copy of one already written
// for the same report.
type copyOfJSON struct{ path string }

var _ Writer = (*copyOfJSON)(nil)

// Format implements Writer.
func (*copyOfJSON) Format() string { return FormatJSON }

// Files implements Writer.
func (*copyOfJSON) Files() []string { return []string{JSONFile} }

// Write implements Writer.
func (c *copyOfJSON) Write(name string, w io.Writer, _ *Report) error {
	if name != JSONFile {
		return errUnknownFile(c, name)
	}
	f, err := os.Open(c.path)
	if err != nil {
		return fmt.Errorf("copy %s: %w", c.path, err)
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("copy %s: %w", c.path, err)
	}
	return nil
}
