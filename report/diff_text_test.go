package report

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/calscan/calscan/rules"
)

var lastWeek = generatedAt.AddDate(0, 0, -7)

// eventfulWeek is a week in which a bit of everything changed: a 2025 server
// arrived, people joined and left, some went stale, CALs were bought.
func eventfulWeek() (prev, cur *Report) {
	p, c := sampleResult(), sampleResult()
	p.Compliant, p.CALs[0].Required, p.CALs[0].Owned, p.CALs[0].Shortfall = true, 1640, 1700, 0
	p.CALs[0].ByVersion = []rules.VersionLine{{Version: "2019", Required: 40, Owned: 100}, {Version: "2022", Required: 1600, Owned: 1600}}
	c.CALs[0].Required, c.CALs[0].Owned, c.CALs[0].Shortfall = 1702, 1750, 0
	c.CALs[0].ByVersion = []rules.VersionLine{{Version: "2019", Required: 40, Owned: 100}, {Version: "2022", Required: 1662, Owned: 1650}}
	c.CALs[2].MinVersion, c.CALs[2].Shortfall = "2025", 40

	for i := range 25 {
		c.Users = appendAccounts(c.Users, rules.Account{Domain: "corp", Name: fmt.Sprintf("new%02d", i), DisplayName: fmt.Sprintf("New Starter %d", i),
			SID: fmt.Sprintf("S-1-5-21-1-2-3-%d", 3000+i), Counted: true})
	}
	c.Users.List()[0].Counted, c.Users.List()[0].Excluded = false, rules.ReasonStale
	p.Users = appendAccounts(p.Users, rules.Account{Domain: "lab", Name: "leaver", SID: "S-1-5-21-4-5-6-1600", Counted: true})
	c.Users.List()[3].Counted, c.Users.List()[3].Excluded = false, rules.ReasonDisabled
	c.Users.List()[1].Counted, c.Users.List()[1].Excluded = true, rules.ReasonNone
	c.Devices = appendAccounts(c.Devices, rules.Account{Domain: "corp", Name: "PC-0003", SID: "S-1-5-21-1-2-3-2003", Counted: true})

	c.Servers = append(c.Servers[:3], rules.Server{Name: "FS02", Domain: "corp", OperatingSystem: "Windows Server 2025 Standard",
		Edition: rules.EditionStandard, Version: "2025", NeedsCALs: true})
	c.Servers[1].Version = "2025"
	c.Findings = append(c.Findings[1:], rules.Finding{Code: "RDS_CAL_SHORTFALL", Severity: rules.SeverityViolation,
		Message: "40 users need Windows Server 2025 RDS User CALs; 0 are owned."})
	return New(p, lastWeek, "0.1.0"), New(c, generatedAt, "0.1.0")
}

func writeChanges(t *testing.T, c *Changes) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteChanges(&buf, c); err != nil {
		t.Fatalf("WriteChanges: %v", err)
	}
	return buf.String()
}

func TestWriteChangesGolden(t *testing.T) {
	checkGolden(t, "changes.txt", []byte(writeChanges(t, Diff(eventfulWeek()))))
}

func TestWriteChanges(t *testing.T) {
	manyAdded := sampleResult()
	for i := range 25 {
		manyAdded.Users = appendAccounts(manyAdded.Users, rules.Account{Domain: "corp", Name: fmt.Sprintf("u%02d", i)})
	}
	hostile := sampleResult()
	hostile.Users = appendAccounts(hostile.Users, rules.Account{Domain: "corp", Name: "evil", DisplayName: "Evil\x1b[2J\nFAKE LINE\u202e"})
	oneDomain := sampleResult()
	oneDomain.Users = appendAccounts(oneDomain.Users, rules.Account{Domain: "corp", Name: "solo", DisplayName: "solo"})

	tests := []struct {
		name    string
		changes *Changes
		want    []string
		notWant []string
	}{
		{"no earlier scan", nil, []string{"No earlier scan to compare with.\n"}, nil},
		{"nothing changed", Diff(sampleReport(), sampleReport()),
			[]string{"No changes since the scan of 2026-11-26 10:00 UTC.\n"}, []string{"Users"}},
		{"at most 20 names, then how many more", Diff(sampleReport(), New(manyAdded, generatedAt, "0.1.0")),
			[]string{"Users: +25 accounts\n", "  added: u00, u01,", "u19 … and 5 more\n"}, []string{"u20"}},
		{"control characters cannot reach the terminal", Diff(sampleReport(), New(hostile, generatedAt, "0.1.0")),
			[]string{"evil (Evil\uFFFD[2J\uFFFDFAKE LINE\uFFFD)"}, []string{"\x1b", "\nFAKE", "\u202e"}},
		{"one domain: names without it, display name equal to the name not repeated",
			Diff(sampleReport(), New(oneDomain, generatedAt, "0.1.0")),
			[]string{"  added: solo\n"}, []string{`corp\`, "solo (solo)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := writeChanges(t, tt.changes)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(got, nw) {
					t.Errorf("output has %q:\n%s", nw, got)
				}
			}
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteChangesReportsWriteErrors(t *testing.T) {
	if err := WriteChanges(failingWriter{}, Diff(eventfulWeek())); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error = %v, want the write error", err)
	}
}

func TestSigned(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{{62, "+62"}, {-3, "−3"}, {-1640, "−1,640"}, {1702, "+1,702"}}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := signed(tt.n); got != tt.want {
				t.Errorf("signed(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}
