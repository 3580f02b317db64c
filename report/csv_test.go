package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/calscan/calscan/rules"
)

func TestCSVGolden(t *testing.T) {
	r := sampleReport()
	for _, name := range (&CSV{}).Files() {
		t.Run(name, func(t *testing.T) {
			checkGolden(t, name, render(t, &CSV{}, name, r))
		})
	}
}

// TestCSVGoldenLicensingDepth pins the columns and rows of RDS CALs, server
// core licences, the cheapest mix and external users.
func TestCSVGoldenLicensingDepth(t *testing.T) {
	r := depthReport()
	for _, name := range (&CSV{}).Files() {
		t.Run(name, func(t *testing.T) {
			checkGolden(t, "depth/"+name, render(t, &CSV{}, name, r))
		})
	}
}

// readCSV checks the BOM and CRLF endings and parses the file.
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	body, ok := bytes.CutPrefix(data, []byte(utf8BOM))
	if !ok {
		t.Fatalf("no UTF-8 byte order mark at the start: %q", data[:min(len(data), 8)])
	}
	if n, crlf := bytes.Count(body, []byte("\n")), bytes.Count(body, []byte("\r\n")); n == 0 || n != crlf {
		t.Errorf("%d line ends, %d of them CRLF: want all CRLF", n, crlf)
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("not valid CSV: %v", err)
	}
	return rows
}

func TestCSVHeadersWithoutRows(t *testing.T) {
	empty := New(&rules.Result{}, generatedAt, "0.1.0")
	tests := []struct {
		file   string
		header []string
	}{
		{UsersCSV, []string{"domain", "name", "display_name", "upn", "dn", "sid", "last_logon", "created", "counted", "excluded_reason", "cal_type", "cal_version", "external",
			"rds_cal_type", "rds_cal_version", "rds_issued_version", "rds_issued_expires", "rds_license_server"}},
		{DevicesCSV, []string{"domain", "name", "dns_name", "operating_system", "dn", "last_logon", "counted", "excluded_reason", "cal_type", "cal_version", "rds_cal_type", "rds_cal_version"}},
		{ServersCSV, []string{"domain", "name", "dns_name", "operating_system", "operating_system_version", "edition", "version", "cal_version", "domain_controller", "needs_cals", "excluded_reason", "source", "rds", "note",
			"access_group", "external_connector", "rds_external_connector", "rds_licensing",
			"cores", "processors", "vms", "core_licenses_required", "core_license_unit", "core_license_sets"}},
		{FindingsCSV, []string{"severity", "code", "rule", "message", "action", "subjects"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rows := readCSV(t, render(t, &CSV{}, tt.file, empty))
			if len(rows) != 1 {
				t.Fatalf("%d rows, want only the header: %q", len(rows), rows)
			}
			if strings.Join(rows[0], ",") != strings.Join(tt.header, ",") {
				t.Errorf("header = %q, want %q", rows[0], tt.header)
			}
		})
	}
}

func TestCSVSummaryOfEmptyResult(t *testing.T) {
	rows := readCSV(t, render(t, &CSV{}, SummaryCSV, New(&rules.Result{Compliant: true}, generatedAt, "0.1.0")))
	if strings.Join(rows[0], ",") != "section,domain,name,version,required,owned,shortfall,surplus,value" {
		t.Errorf("header = %q", rows[0])
	}
	got := map[string]string{}
	for _, row := range rows[1:] {
		if len(row) != 9 {
			t.Fatalf("row %q has %d cells, want 9", row, len(row))
		}
		if section := row[0]; section == "mix" || strings.HasPrefix(section, "core_license") {
			t.Errorf("a result without a mix or core licences has the row %q", row)
		}
		got[row[0]+"/"+row[2]] = row[8]
	}
	for key, want := range map[string]string{
		"report/verdict":      "Compliant",
		"report/action":       "No CALs are required.",
		"count/users_counted": "0",
		"excluded/builtin":    "0",
		"findings/violation":  "0",
		"count/external":      "0",
		"count/duplicates":    "0",
	} {
		if got[key] != want {
			t.Errorf("%s = %q, want %q", key, got[key], want)
		}
	}
}

func TestNeutralise(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"=1+1", "'=1+1"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2", "-2"},
		{"-70.5", "-70.5"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"-", "'-"},
		{"-.5", "'-.5"},
		{"- 2", "'- 2"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"\t=1+1", "'\t=1+1"},
		{"\tplain", "'\tplain"},
		{"\r=1+1", "'\r=1+1"},
		{"   =HYPERLINK(\"x\")", "'   =HYPERLINK(\"x\")"},
		{" \u00a0@cmd", "' \u00a0@cmd"},
		{"José Müller", "José Müller"},
		{"a=b", "a=b"},
		{"user-1", "user-1"},
		{"", ""},
		{"   ", "   "},
		{"'=already quoted", "'=already quoted"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := neutralise(tt.in); got != tt.want {
				t.Errorf("neutralise(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestCSVInjection puts formula payloads in every kind of directory string and
// checks that no cell of any CSV file starts with a formula character.
func TestCSVInjection(t *testing.T) {
	payloads := []string{"=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1,1)", "\t=1", "\r=1", "  =1+1"}
	res := &rules.Result{Mix: &rules.Mix{UsageCSV: payloads[0], Saving: -2}}
	for _, p := range payloads {
		res.Users = appendAccounts(res.Users, rules.Account{Domain: p, Name: p, DisplayName: p, UPN: p, DN: p, SID: p,
			RDS: &rules.AccountRDS{CALVersion: p, IssuedVersion: p, LicenseServer: p}})
		res.Devices = appendAccounts(res.Devices, rules.Account{Domain: p, Name: p, DNSName: p, OperatingSystem: p, DN: p,
			RDS: &rules.AccountRDS{CALVersion: p}})
		res.Servers = append(res.Servers, rules.Server{Name: p, Domain: p, DNSName: p, OperatingSystem: p, OperatingSystemVersion: p, Note: p,
			AccessGroup: p, CoreLicenseUnit: p})
		res.CoreLicenses = append(res.CoreLicenses, rules.CoreLicenseLine{Edition: rules.Edition(p), Unit: p, MinVersion: p,
			ByVersion: []rules.VersionLine{{Version: p}}})
		res.Findings = append(res.Findings, rules.Finding{Code: "X", Message: p, Action: p, Subjects: []string{p, "ok"}})
		res.Directories = append(res.Directories, rules.DirectoryCounts{Name: p, Source: p})
	}
	r := New(res, generatedAt, "0.1.0")
	for _, file := range (&CSV{}).Files() {
		t.Run(file, func(t *testing.T) {
			rows := readCSV(t, render(t, &CSV{}, file, r))
			if len(rows) < 2 {
				t.Fatalf("%s has no data rows", file)
			}
			quoted := 0
			for _, row := range rows[1:] {
				for _, cell := range row {
					if strings.HasPrefix(cell, "'") {
						quoted++
					}
					if plainNumber(cell) {
						continue // a number such as the mix's saving of -2
					}
					if trimmed := strings.TrimLeft(cell, " \t\r\n"); cell != "" && trimmed != "" &&
						(strings.ContainsAny(trimmed[:1], "=+-@") || cell[0] == '\t' || cell[0] == '\r') {
						t.Errorf("cell %q starts a formula", cell)
					}
				}
			}
			if quoted == 0 {
				t.Errorf("no cell was neutralised in %s", file)
			}
		})
	}
}

func TestCSVSubjectsJoined(t *testing.T) {
	rows := readCSV(t, render(t, &CSV{}, FindingsCSV, sampleReport()))
	if got := rows[2][5]; !strings.HasPrefix(got, `corp\old.user; corp\temp1; `) {
		t.Errorf("subjects = %q, want them joined by \"; \"", got)
	}
	if got := rows[3][5]; got != "" {
		t.Errorf("a finding without subjects has subjects %q", got)
	}
}

// failAfter accepts n bytes, then fails every write.
type failAfter struct{ n int }

var errDiskFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		written := f.n
		f.n = 0
		return written, errDiskFull
	}
	f.n -= len(p)
	return len(p), nil
}

func TestCSVWriteErrors(t *testing.T) {
	r := New(&rules.Result{Users: rules.NewAccounts(manyAccounts(5000, "user"))}, generatedAt, "0.1.0")
	tests := []struct {
		name  string
		limit int
	}{
		{"before the BOM", 0},
		{"in the header", 10},
		{"in the rows", 100 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (&CSV{}).Write(UsersCSV, &failAfter{n: tt.limit}, r)
			if !errors.Is(err, errDiskFull) {
				t.Errorf("error = %v, want it to wrap %v", err, errDiskFull)
			}
		})
	}
}
