package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calscan/calscan/rules"
)

func env(vals map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vals[k]; return v, ok }
}

func TestExampleConfigLoads(t *testing.T) {
	data, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse("../config.example.toml", string(data), env(map[string]string{"CALSCAN_PASSWORD": "s3cret"}))
	if err != nil {
		t.Fatalf("config.example.toml does not load: %v", err)
	}
	d := cfg.Directories[0]
	if d.Name() != "corp" || d.LDAP.URL != "ldaps://dc1.corp.example.com" || d.LDAP.Password != "s3cret" || d.LDAP.PageSize != 1000 || d.LDAP.Timeout != 30*time.Second {
		t.Errorf("directory = %+v", d.LDAP)
	}
	if cfg.Policy.StaleAfter != 90*24*time.Hour || cfg.Policy.Model != rules.ModelUser {
		t.Errorf("policy = %+v", cfg.Policy)
	}
	if len(cfg.Policy.CALs) != 2 || cfg.Policy.CALs[0].Quantity != 100 || cfg.Policy.CALs[0].Version != "2022" {
		t.Errorf("cals = %+v", cfg.Policy.CALs)
	}
	if len(cfg.Policy.Servers) != 1 || cfg.Policy.Servers[0].Edition != rules.EditionStandard {
		t.Errorf("servers = %+v", cfg.Policy.Servers)
	}
	if !cfg.Email.Configured || cfg.Email.Port != 587 || cfg.Email.Send != "always" {
		t.Errorf("email = %+v", cfg.Email)
	}
	if got := cfg.Report.Formats; strings.Join(got, ",") != "html,csv,json" {
		t.Errorf("formats = %v", got)
	}
}

const minimal = `[[directory]]
url = "ldaps://dc1.corp.example.com"
base_dn = "DC=corp,DC=example,DC=com"
bind_dn = "svc@corp.example.com"
password_env = "PW"
`

func TestMinimalConfigDefaults(t *testing.T) {
	cfg, err := Parse("/etc/calscan/calscan.toml", minimal, env(map[string]string{"PW": "x"}))
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Directories[0].LDAP
	if d.Name != "corp" || d.Bind != "simple" || d.UserFilter == "" || d.PageSize != 1000 {
		t.Errorf("defaults not applied: %+v", d)
	}
	if cfg.Report.OutDir != filepath.Join("/etc/calscan", "reports") {
		t.Errorf("out_dir not resolved against the config's folder: %q", cfg.Report.OutDir)
	}
	if cfg.Email.Configured {
		t.Error("email configured without an [email] table")
	}
}

func TestConfigProblemsNameKeyAndLine(t *testing.T) {
	tests := []struct {
		name, text string
		env        map[string]string
		key        string
		line       int
		msg        string
	}{
		{"unknown key", minimal + "pagesize = 10\n", map[string]string{"PW": "x"}, "directory.pagesize", 6, "unknown key"},
		{"unknown table key", minimal + "[scope]\nstale_after = 3\n", map[string]string{"PW": "x"}, "scope.stale_after", 7, "unknown key"},
		{"bad model", minimal + "[licensing]\nmodel = \"users\"\n", map[string]string{"PW": "x"}, "licensing.model", 7, "not a licensing model"},
		{"password env unset", minimal, nil, "directory[1].password_env", 5, "PW is not set"},
		{"bad url", strings.Replace(minimal, "ldaps://", "https://", 1), map[string]string{"PW": "x"}, "directory[1].url", 2, "not an LDAP URL"},
		{"bad timeout", minimal + "timeout = \"30\"\n", map[string]string{"PW": "x"}, "directory[1].timeout", 6, "not a duration"},
		{"cal version R2", minimal + "[[cal]]\ntype = \"user\"\nversion = \"2012 R2\"\nquantity = 5\n", map[string]string{"PW": "x"}, "cal[1].version", 8, "R2"},
		{"cal quantity missing", minimal + "[[cal]]\ntype = \"user\"\nversion = \"2022\"\n", map[string]string{"PW": "x"}, "cal[1].quantity", 6, "missing"},
		{"second cal bad type", minimal + "[[cal]]\ntype = \"user\"\nversion = \"2022\"\nquantity = 1\n[[cal]]\ntype = \"users\"\nversion = \"2022\"\nquantity = 1\n", map[string]string{"PW": "x"}, "cal[2].type", 11, "users"},
		{"bad format", minimal + "[report]\nformats = [\"pdf\"]\n", map[string]string{"PW": "x"}, "report.formats", 7, "pdf"},
		{"no directory", "[scope]\nstale_after_days = 90\n", nil, "directory", 0, "no [[directory]]"},
		{"bad server edition", minimal + "[[server]]\nname = \"FS01\"\nedition = \"enterprize\"\n", map[string]string{"PW": "x"}, "server[1].edition", 8, "enterprize"},
		{"bad email tls", minimal + "[email]\nsmtp_host = \"m\"\nfrom = \"a@b\"\nto = [\"c@d\"]\ntls = \"ssl\"\n", map[string]string{"PW": "x"}, "email.tls", 10, "ssl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("calscan.toml", tt.text, env(tt.env))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("want *config.Error, got %v", err)
			}
			for _, p := range ce.Problems {
				if p.Key == tt.key {
					if p.Line != tt.line {
						t.Errorf("line = %d, want %d (%s)", p.Line, tt.line, p.Msg)
					}
					if !strings.Contains(p.Msg, tt.msg) {
						t.Errorf("message %q does not say %q", p.Msg, tt.msg)
					}
					return
				}
			}
			t.Fatalf("no problem for key %s in:\n%v", tt.key, err)
		})
	}
}

func TestWrongTypeGivesLine(t *testing.T) {
	_, err := Parse("calscan.toml", minimal+"page_size = \"big\"\n", env(map[string]string{"PW": "x"}))
	if err == nil || !strings.Contains(err.Error(), "line 6") || !strings.Contains(err.Error(), "page_size") {
		t.Fatalf("want an error naming line 6 and page_size, got %v", err)
	}
}

func TestSyntaxErrorGivesLine(t *testing.T) {
	_, err := Parse("calscan.toml", minimal+"[scope\n", env(map[string]string{"PW": "x"}))
	if err == nil || !strings.Contains(err.Error(), "line 7") || !strings.Contains(err.Error(), "[scope") {
		t.Fatalf("want an error naming the line and showing the broken header, got %v", err)
	}
}

func TestPasswordFileIsRead(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pw"), []byte("fr0m-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(minimal, `password_env = "PW"`, `password_file = "pw"`, 1)
	cfg, err := Parse(filepath.Join(dir, "calscan.toml"), text, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Directories[0].LDAP.Password; got != "fr0m-file" {
		t.Errorf("password = %q", got)
	}
}

func TestErrorsNeverShowThePassword(t *testing.T) {
	text := minimal + "page_size = 0\n"
	_, err := Parse("calscan.toml", text, env(map[string]string{"PW": "hunter2-secret"}))
	if err == nil {
		t.Fatal("page_size = 0 accepted")
	}
	if strings.Contains(err.Error(), "hunter2-secret") {
		t.Fatalf("error shows the password: %v", err)
	}
}

func TestInsecureSkipVerifyWarns(t *testing.T) {
	cfg, err := Parse("calscan.toml", minimal+"insecure_skip_verify = true\n", env(map[string]string{"PW": "x"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) == 0 || !cfg.Policy.Directories[0].TLSVerificationDisabled {
		t.Errorf("no warning / report flag for insecure_skip_verify: %v", cfg.Warnings)
	}
}
