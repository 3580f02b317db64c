package rules

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		csv     string
		want    []string // "user|device" pairs, in file order
		wantErr string   // part of the error; "" for none
	}{
		{"§5 plain pairs without a header", "ann,PC1\nbob,PC2\n", []string{"ann|pc1", "bob|pc2"}, ""},
		{"§5 a header is recognised and skipped", "User,Device\nann,PC1\n", []string{"ann|pc1"}, ""},
		{"§5 repeated pairs count once", "ann,PC1\nANN,pc1\nann,PC1$\n", []string{"ann|pc1"}, ""},
		{"§5 DOMAIN\\user and UPN users, DOMAIN\\PC$ devices",
			"CORP\\Ann,CORP\\PC1$\nbob@corp.example.com,pc2.corp.example.com\n",
			[]string{`corp\ann|pc1`, "bob@corp.example.com|pc2.corp.example.com"}, ""},
		{"§5 User Access Logging style columns, extra columns ignored",
			"RoleName,UserName,ClientName,ActivityCount\nFile Server,CORP\\ann,PC1,12\nFile Server,CORP\\bob,PC2,3\n",
			[]string{`corp\ann|pc1`, `corp\bob|pc2`}, ""},
		{"§5 PowerShell #TYPE line and byte order mark",
			"\ufeff#TYPE System.Management.Automation.PSCustomObject\n\"UserName\",\"ComputerName\"\n\"ann\",\"PC1\"\n",
			[]string{"ann|pc1"}, ""},
		{"§5 semicolon separated", "Benutzer;Computername\nann;PC1\n", nil, "header has no user column"},
		{"§5 semicolon separated with known columns", "user;computer\nann;PC1\n", []string{"ann|pc1"}, ""},
		{"§5 tab separated without a header", "ann\tPC1\n", []string{"ann|pc1"}, ""},
		{"§5 blank lines are skipped", "ann,PC1\n\n\nbob,PC2\n", []string{"ann|pc1", "bob|pc2"}, ""},
		{"§5 empty file", "", nil, ""},
		{"§5 a header without a device column", "UserName,IPAddress\nann,10.0.0.1\n", nil, "line 1: the header has no device column"},
		{"§5 three columns without a header", "ann,PC1,extra\n", nil, "line 1: 3 columns and no header"},
		{"§5 a row with too few fields names its line", "ann,PC1\nbob\n", nil, "line 2"},
		{"§5 an empty user names its line", "user,device\nann,PC1\n,PC2\n", nil, "line 3: the user is empty"},
		{"§5 an empty device names its line", "ann,PC1\nbob, \n", nil, "line 2: the device is empty"},
		{"§5 a bare quote names its line after a #TYPE line", "#TYPE x\nuser,device\nann,\"PC1\n", nil, "line 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, err := ParseUsage(strings.NewReader(tc.csv), "usage.csv")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "usage.csv") {
					t.Fatalf("error = %v, want one naming usage.csv and %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := usagePairs(u); !slices.Equal(got, tc.want) {
				t.Errorf("pairs = %q, want %q", got, tc.want)
			}
			if u.Pairs() != len(tc.want) || u.Source() != "usage.csv" {
				t.Errorf("Pairs() = %d, Source() = %q", u.Pairs(), u.Source())
			}
		})
	}
}

func usagePairs(u *Usage) []string {
	var out []string
	for _, p := range u.pairs {
		out = append(out, u.users[p.user]+"|"+u.devices[p.device])
	}
	return out
}

func TestLoadUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	if err := os.WriteFile(good, []byte("ann,PC1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		path      string
		wantPairs int
		wantErr   bool
	}{
		{"§5 a file is read", good, 1, false},
		{"§5 a missing file is an error", filepath.Join(dir, "missing.csv"), 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, err := LoadUsage(tc.path)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tc.wantErr)
			}
			if u.Pairs() != tc.wantPairs {
				t.Errorf("pairs = %d, want %d", u.Pairs(), tc.wantPairs)
			}
		})
	}
}

// usageOf parses evidence for a test.
func usageOf(t *testing.T, csv string) *Usage {
	t.Helper()
	u, err := ParseUsage(strings.NewReader(csv), "usage.csv")
	if err != nil {
		t.Fatal(err)
	}
	return u
}
