package rules

import (
	"slices"
	"testing"
)

func TestMatchAny(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		patterns []string
		account  string
		want     bool
	}{
		{"A2 exact, case-insensitive", []string{"SQLsvc"}, "sqlSVC", true},
		{"A2 exact does not match a longer name", []string{"sqlsvc"}, "sqlsvc2", false},
		{"A2 prefix", []string{"svc-*"}, "SVC-Backup", true},
		{"A2 prefix needs the prefix", []string{"svc-*"}, "backup-svc", false},
		{"A2 suffix", []string{"*-test"}, "Web-TEST", true},
		{"A2 question mark", []string{"adm?"}, "ADM1", true},
		{"A2 question mark needs one character", []string{"adm?"}, "adm", false},
		{"A2 set", []string{"[xy]-*"}, "Y-kiosk", true},
		{"A2 middle star", []string{"svc*prod"}, "SVC-sql-PROD", true},
		{"A2 second pattern matches", []string{"nomatch", "kiosk*"}, "kiosk01", true},
		{"A2 no patterns", nil, "anyone", false},
		{"A2 star alone matches all", []string{"*"}, "anyone", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			globs, bad := compileGlobs(tc.patterns)
			if len(bad) > 0 {
				t.Fatalf("bad patterns %v", bad)
			}
			if got := matchAny(globs, tc.account); got != tc.want {
				t.Errorf("matchAny(%v, %q) = %v, want %v", tc.patterns, tc.account, got, tc.want)
			}
		})
	}
}

func TestCompileGlobsRejectsBadPatterns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		patterns []string
		wantBad  []string
	}{
		{"A2 unclosed set is rejected", []string{"ok-*", "bad-["}, []string{"bad-["}},
		{"A2 all good", []string{"a*", "b?"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			globs, bad := compileGlobs(tc.patterns)
			if !slices.Equal(bad, tc.wantBad) || len(globs)+len(bad) != len(tc.patterns) {
				t.Errorf("compileGlobs(%v) bad = %v (globs %d), want bad %v", tc.patterns, bad, len(globs), tc.wantBad)
			}
		})
	}
}

func TestNormalizeDN(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"A2 lower case", "OU=Staff,DC=Corp", "ou=staff,dc=corp"},
		{"A2 blanks around commas", " OU=Staff , DC=corp,\tDC=com ", "ou=staff,dc=corp,dc=com"},
		{"A2 blanks inside values kept", "OU=Old Staff,DC=corp", "ou=old staff,dc=corp"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := normalizeDN(tc.in); got != tc.want {
				t.Errorf("normalizeDN(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestInSubtree(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, dn, ou string
		want         bool
	}{
		{"A2 the OU itself", "ou=staff,dc=corp", "ou=staff,dc=corp", true},
		{"A2 case is ignored", "CN=Ann,OU=Staff,DC=Corp", "ou=staff,dc=corp", true},
		{"A2 a child", "cn=ann,ou=staff,dc=corp", "ou=staff,dc=corp", true},
		{"A2 a grandchild", "cn=ann,ou=x,ou=staff,dc=corp", "ou=staff,dc=corp", true},
		{"A2 a sibling with a longer name", "cn=ann,ou=oldstaff,dc=corp", "ou=staff,dc=corp", false},
		{"A2 an escaped comma is not a boundary", `cn=ann\,ou=staff,dc=corp`, "ou=staff,dc=corp", false},
		{"A2 an escaped backslash before the comma is a boundary", `cn=ann\\,ou=staff,dc=corp`, "ou=staff,dc=corp", true},
		{"A2 another domain", "cn=ann,ou=staff,dc=other", "ou=staff,dc=corp", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := inSubtree(tc.dn, tc.ou); got != tc.want {
				t.Errorf("inSubtree(%q, %q) = %v, want %v", tc.dn, tc.ou, got, tc.want)
			}
		})
	}
}
