package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// fuzzSecret is what every password_env resolves to while fuzzing: it must
// never show up in an error or a warning.
const fuzzSecret = "Fz!s3cret-9d41c7"

// readsOutside reports whether a config would make Parse read a file outside
// its own folder (password_file, usage_csv): fuzzed paths could name
// /dev/zero or a pipe, which is no finding.
func readsOutside(text string) bool {
	var f File
	if _, err := toml.Decode(text, &f); err != nil {
		return false // Parse stops at the syntax error
	}
	paths := []string{f.Licensing.UsageCSV, f.Email.PasswordFile}
	for _, d := range f.Directories {
		paths = append(paths, d.PasswordFile)
	}
	for _, p := range paths {
		if filepath.IsAbs(p) || strings.Contains(p, "..") || strings.ContainsAny(p, `\:`) {
			return true
		}
	}
	return false
}

func FuzzParse(f *testing.F) {
	example, err := os.ReadFile("../config.example.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(example))
	f.Add(minimal)
	f.Add("[[directory]]\nldif = \"export.ldif\"\n[licensing]\nmodel = \"mixed\"\nusage_csv = \"usage.csv\"\n")
	f.Add("[[directory]]\nname = \"a\"\nurl = \"ldap://dc\"\nbind = \"anonymous\"\n[[directory]]\nname = \"A\"\nurl = \"ldaps://dc\"\nstart_tls = true\n")
	f.Add("[[directory]]\nurl = \"ldap://dc\"\nbind_dn = \"x\"\npassword_file = \"pw\"\npage_size = -1\ntimeout = \"-3s\"\nuser_filter = \"(&(a=b)\"\n")
	f.Add("[scope]\nstale_after_days = 9999999999999\n[[cal]]\ntype = \"user\"\nquantity = -5\n[[server]]\nname = \"\"\n")
	f.Add("a = 1\n[[directory]]\n\"url\" = 'ldap://x'\n[report]\nformats = []\n")

	dir := f.TempDir()
	for name, content := range map[string]string{"export.ldif": "dn: DC=x\n", "usage.csv": "user,device\nalice,PC1\n", "pw": "pw\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			f.Fatal(err)
		}
	}
	path := filepath.Join(dir, "calscan.toml")
	lookupEnv := func(string) (string, bool) { return fuzzSecret, true }

	f.Fuzz(func(t *testing.T, text string) {
		if readsOutside(text) {
			t.Skip()
		}
		cfg, err := Parse(path, text, lookupEnv)
		leaks := func(s string) bool { return strings.Contains(s, fuzzSecret) && !strings.Contains(text, fuzzSecret) }
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %T, want *config.Error: %v", err, err)
			}
			if ce.Err == nil && len(ce.Problems) == 0 {
				t.Fatalf("an *Error with no problem and no cause: %q", err)
			}
			for _, p := range ce.Problems {
				// The key may be empty: TOML allows a key named "" (`[""]`).
				if p.Msg == "" || p.Line < 0 {
					t.Fatalf("problem without a message: %+v", p)
				}
			}
			if leaks(err.Error()) {
				t.Fatalf("the error shows the password: %v", err)
			}
			return
		}
		if len(cfg.Directories) == 0 || len(cfg.Report.Formats) == 0 {
			t.Fatalf("valid config without a directory or a format: %+v", cfg)
		}
		names := map[string]bool{}
		for _, d := range cfg.Directories {
			lower := strings.ToLower(d.Name())
			if lower == "" || names[lower] {
				t.Fatalf("directory name %q empty or repeated", d.Name())
			}
			names[lower] = true
			if !d.Offline() && (d.LDAP.URL == "" || d.LDAP.PageSize < 1 || d.LDAP.Timeout <= 0) {
				t.Fatalf("live directory without a URL, page size or timeout: %+v", d.LDAP)
			}
		}
		for _, w := range cfg.Warnings {
			if leaks(w) {
				t.Fatalf("a warning shows the password: %s", w)
			}
		}
	})
}
