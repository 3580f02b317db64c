package report

import (
	"encoding/csv"
	"fmt"
	"io"
)

// CSV file names.
const (
	SummaryCSV  = "summary.csv"
	UsersCSV    = "users.csv"
	DevicesCSV  = "devices.csv"
	ServersCSV  = "servers.csv"
	FindingsCSV = "findings.csv"
)

// utf8BOM starts every CSV file: Excel on Windows reads a CSV without it in
// the ANSI code page, which garbles names like "Müller" or "José".
const utf8BOM = "\uFEFF"

// CSV writes one file per table, with fixed columns, CRLF line endings (what
// Excel expects) and a header even when there are no rows.
type CSV struct{}

var _ Writer = (*CSV)(nil)

// Format implements Writer.
func (*CSV) Format() string { return FormatCSV }

// Files implements Writer.
func (*CSV) Files() []string {
	return []string{SummaryCSV, UsersCSV, DevicesCSV, ServersCSV, FindingsCSV}
}

// csvTable is the columns of one file and how its rows are made from a Report.
type csvTable struct {
	header []string
	rows   func(r *Report, emit func(row []string) error) error
}

func csvTableFor(name string) (csvTable, bool) {
	switch name {
	case SummaryCSV:
		return csvTable{summaryHeader, summaryRows}, true
	case UsersCSV:
		return csvTable{usersHeader, userRows}, true
	case DevicesCSV:
		return csvTable{devicesHeader, deviceRows}, true
	case ServersCSV:
		return csvTable{serversHeader, serverRows}, true
	case FindingsCSV:
		return csvTable{findingsHeader, findingRows}, true
	}
	return csvTable{}, false
}

// Write implements Writer.
func (c *CSV) Write(name string, w io.Writer, r *Report) error {
	table, ok := csvTableFor(name)
	if !ok {
		return errUnknownFile(c, name)
	}
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(table.header); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	err := table.rows(r, func(row []string) error {
		for i, cell := range row {
			row[i] = neutralise(cell)
		}
		return cw.Write(row)
	})
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}
