package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calscan/calscan/rules"
	"github.com/calscan/calscan/scanner"
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
	if len(cfg.Policy.Servers) != 1 || cfg.Policy.Servers[0].Edition != rules.EditionStandard || cfg.Policy.Servers[0].RDSLicensing != rules.CALRDSUser {
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
		{"D1 bad rds_licensing", minimal + "[[server]]\nname = \"RDS01\"\nrds = true\nrds_licensing = \"seat\"\n", map[string]string{"PW": "x"}, "server[1].rds_licensing", 9, "user or device"},
		{"R1 access_group is not a DN", minimal + "[[server]]\nname = \"APP01\"\naccess_group = \"App users\"\n", map[string]string{"PW": "x"}, "server[1].access_group", 8, "not a DN"},
		{"V5 RDS CALs are not in a CAL Suite", minimal + "[[cal]]\ntype = \"rds-user\"\nversion = \"sa\"\nquantity = 5\n", map[string]string{"PW": "x"}, "cal[1].version", 8, "CAL Suite"},
		{"C3 2008 has no core licences", minimal + "[[core_licenses]]\nedition = \"standard\"\nversion = \"2008\"\nquantity = 16\n", map[string]string{"PW": "x"}, "core_licenses[1].version", 8, "per server"},
		{"§5 usage csv missing", minimal + "[licensing]\nmodel = \"mixed\"\nusage_csv = \"no-such-file.csv\"\n", map[string]string{"PW": "x"}, "licensing.usage_csv", 8, "no-such-file.csv"},
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

// A value of the wrong type, or a [table] where [[blocks]] belong, is named
// by key and line in the words of the file, not the decoder's.
func TestWrongTypeSaysWhatToWrite(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"a table for blocks", "[directory]\nname = \"corp\"\n",
			"line 1: directory: write [[directory]] (one block per domain or export), not [directory]"},
		{"a table for cal blocks", minimal + "[cal]\ntype = \"user\"\n",
			"line 6: cal: write [[cal]] (one block per CAL type and version), not [cal]"},
		{"text for a number", minimal + "page_size = \"100\"\n",
			`line 6: directory.page_size: is text in quotes ("…"); it must be a whole number`},
		{"a decimal for a number", minimal + "[[cal]]\ntype = \"user\"\nversion = \"2022\"\nquantity = 1.5\n",
			"line 9: cal.quantity: is a number with a decimal point; it must be a whole number"},
		{"text for a list", minimal + "[report]\nformats = \"html\"\n",
			`line 7: report.formats: is text in quotes ("…"); it must be a list ([…])`},
		{"a number for text", minimal + "[licensing]\nmodel = 3\n",
			`line 7: licensing.model: is a whole number; it must be text in quotes ("…")`},
		{"text for true or false", minimal + "start_tls = \"yes\"\n",
			`line 6: directory.start_tls: is text in quotes ("…"); it must be true or false`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("calscan.toml", tt.text, env(map[string]string{"PW": "x"}))
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "incompatible") {
				t.Errorf("got %v\nwant %s", err, tt.want)
			}
		})
	}
}

// An empty key name is shown quoted, not as nothing.
func TestEmptyKeyIsQuoted(t *testing.T) {
	_, err := Parse("calscan.toml", minimal+"[\"\"]\nx = 1\n", env(map[string]string{"PW": "x"}))
	if err == nil || !strings.Contains(err.Error(), `"": unknown key ""`) || !strings.Contains(err.Error(), `"".x: unknown key "x"`) {
		t.Errorf("got %v", err)
	}
}

// A broken string is a syntax error that says where, never a crash (the
// TOML library's positioned message panics on a mistake it places at line 0).
func TestBrokenStringIsASyntaxError(t *testing.T) {
	tests := []struct{ text, want string }{
		{`"\`, "invalid escape in string"},
		{minimal + `"\`, "invalid escape in string"},
	}
	for _, tt := range tests {
		_, err := Parse("calscan.toml", tt.text, env(map[string]string{"PW": "x"}))
		var ce *Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "line") && !strings.Contains(err.Error(), "start of the file") {
			t.Errorf("Parse(%q) = %v; want a *config.Error saying %q and where", tt.text, err, tt.want)
		}
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

func TestUsageCSV(t *testing.T) {
	tests := []struct {
		name      string
		model     string
		csv       string
		wantPairs int
		wantErr   string // part of the licensing.usage_csv problem; "" for none
	}{
		{"§5 mixed loads the pairs", "mixed", "user,device\nann,PC1\nbob,PC1\nann,PC1\n", 2, ""},
		{"§5 device uses them too", "device", "ann,PC1\n", 1, ""},
		{"§5 user model ignores the file", "user", "not,even,read\n", 0, ""},
		{"§5 a malformed file names the line", "mixed", "user,device\nann,PC1\n\"bob,PC2\n", 0, "line 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "usage.csv"), []byte(tc.csv), 0o600); err != nil {
				t.Fatal(err)
			}
			text := minimal + "[licensing]\nmodel = \"" + tc.model + "\"\nusage_csv = \"usage.csv\"\n"
			cfg, err := Parse(filepath.Join(dir, "calscan.toml"), text, env(map[string]string{"PW": "x"}))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), "licensing.usage_csv") || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want a licensing.usage_csv problem naming %q, got %v", tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Policy.Usage.Pairs(); got != tc.wantPairs {
				t.Errorf("pairs = %d, want %d", got, tc.wantPairs)
			}
			if tc.model == "user" && len(cfg.Warnings) == 0 {
				t.Errorf("no warning that usage_csv is ignored")
			}
		})
	}
}

func TestServerRDSKeys(t *testing.T) {
	tests := []struct {
		name        string
		block       string
		wantType    rules.CALType
		wantExtConn bool
	}{
		{"D1 rds_licensing device", "rds = true\nrds_licensing = \"Device\"\n", rules.CALRDSDevice, false},
		{"D1 rds_licensing left out is decided later", "rds = true\n", "", false},
		{"R4 rds_external_connector", "rds = true\nrds_external_connector = true\n", "", true},
		{"D1 rds_licensing user", "rds = true\nrds_licensing = \" user \"\n", rules.CALRDSUser, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("calscan.toml", minimal+"[[server]]\nname = \"RDS01\"\n"+tc.block, env(map[string]string{"PW": "x"}))
			if err != nil {
				t.Fatal(err)
			}
			s := cfg.Policy.Servers[0]
			if s.RDSLicensing != tc.wantType || s.RDSExternalConnector != tc.wantExtConn {
				t.Errorf("server = %+v", s)
			}
			if len(cfg.Warnings) > 0 {
				t.Errorf("warnings = %v", cfg.Warnings)
			}
		})
	}
}

// directoryText is a [[directory]] block with extra lines (from line 4 on).
func directoryText(url, extra string) string {
	return "[[directory]]\nname = \"corp\"\nurl = \"" + url + "\"\n" + extra
}

func TestBindSettings(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"svc.keytab", "krb5.conf"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("[libdefaults]\n\tdefault_realm = CORP.EXAMPLE.COM\n\tdns_lookup_kdc = true\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "calscan.toml")
	kerberosEnv := map[string]string{"KRB5_CONFIG": filepath.Join(dir, "krb5.conf"), "KRB5CCNAME": "FILE:/tmp/krb5cc_calscan", "PW": "x"}
	tests := []struct {
		name  string
		text  string
		env   map[string]string
		check func(t *testing.T, o scanner.LDAPOptions)
	}{
		{name: "kerberos with a keytab, relative paths", env: kerberosEnv,
			text: directoryText("ldaps://dc1.corp.example.com", "bind = \"kerberos\"\nbind_dn = \"svc-calscan\"\nkeytab = \"svc.keytab\"\nkrb5_conf = \"krb5.conf\"\nspn = \"ldap/dc1\"\n"),
			check: func(t *testing.T, o scanner.LDAPOptions) {
				k := o.Kerberos
				if k.Keytab != filepath.Join(dir, "svc.keytab") || k.Krb5Conf != filepath.Join(dir, "krb5.conf") || k.CCache != "" || k.SPN != "ldap/dc1" || k.Realm != "CORP.EXAMPLE.COM" {
					t.Errorf("kerberos options = %+v", k)
				}
			}},
		{name: "kerberos from the environment after kinit", env: kerberosEnv,
			text: directoryText("ldap://dc1.corp.example.com", "bind = \"kerberos\"\n"),
			check: func(t *testing.T, o scanner.LDAPOptions) {
				k := o.Kerberos
				if k.CCache != "FILE:/tmp/krb5cc_calscan" || k.Krb5Conf != kerberosEnv["KRB5_CONFIG"] || k.SPN != "ldap/dc1.corp.example.com" {
					t.Errorf("kerberos options = %+v", k)
				}
			}},
		{name: "kerberos with a password", env: kerberosEnv,
			text: directoryText("ldaps://dc1.corp.example.com", "bind = \"kerberos\"\nbind_dn = \"svc-calscan@corp.example.com\"\npassword_env = \"PW\"\n"),
			check: func(t *testing.T, o scanner.LDAPOptions) {
				if o.Password != "x" || o.Kerberos.Realm != "CORP.EXAMPLE.COM" || o.Kerberos.CCache != "" {
					t.Errorf("options = bind_dn %q, kerberos %+v", o.BindDN, o.Kerberos)
				}
			}},
		{name: "ntlm", env: map[string]string{"PW": "x"},
			text: directoryText("ldaps://dc1.corp.example.com", "bind = \"ntlm\"\nbind_dn = 'CORP\\svc-calscan'\npassword_env = \"PW\"\n"),
			check: func(t *testing.T, o scanner.LDAPOptions) {
				if o.Bind != scanner.BindNTLM || o.BindDN != `CORP\svc-calscan` || o.Password != "x" {
					t.Errorf("options = %q %q", o.Bind, o.BindDN)
				}
			}},
		{name: "forest-wide Global Catalog scan needs no base_dn", env: map[string]string{"PW": "x"},
			text: directoryText("ldaps://gc.corp.example.com:3269", "bind_dn = \"svc@corp.example.com\"\npassword_env = \"PW\"\n"),
			check: func(t *testing.T, o scanner.LDAPOptions) {
				if o.BaseDN != "" || !scanner.IsGlobalCatalog(o.URL) {
					t.Errorf("base %q, URL %s", o.BaseDN, o.URL)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse(path, tt.text, env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, cfg.Directories[0].LDAP)
		})
	}
}

func TestBindSettingProblems(t *testing.T) {
	dir := t.TempDir()
	krb5 := filepath.Join(dir, "krb5.conf")
	if err := os.WriteFile(krb5, []byte("[libdefaults]\n\tdefault_realm = CORP.EXAMPLE.COM\n\tdns_lookup_kdc = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	withConf := map[string]string{"KRB5_CONFIG": krb5, "PW": "x"}
	tests := []struct {
		name, text string
		env        map[string]string
		key        string
		line       int
		msg        string
	}{
		{"keytab with simple bind", minimal + "keytab = \"svc.keytab\"\n", map[string]string{"PW": "x"},
			"directory[1].keytab", 6, `a setting of bind = "kerberos", not of bind = "simple"`},
		{"ntlm with a bare name", directoryText("ldaps://dc1", "bind = \"ntlm\"\nbind_dn = \"svc\"\npassword_env = \"PW\"\n"), map[string]string{"PW": "x"},
			"directory[1].bind_dn", 5, `"svc" is not a Windows account name`},
		{"ntlm needs a password", directoryText("ldaps://dc1", "bind = \"ntlm\"\nbind_dn = \"svc@corp\"\n"), nil,
			"directory[1].password_env", 1, "missing"},
		{"kerberos keytab missing", directoryText("ldaps://dc1.corp", "bind = \"kerberos\"\nbind_dn = \"svc\"\nkeytab = \"none.keytab\"\n"), withConf,
			"directory[1].keytab", 6, "cannot read it"},
		{"kerberos with two credentials", directoryText("ldaps://dc1.corp", "bind = \"kerberos\"\nbind_dn = \"svc\"\nccache = \"/tmp/cc\"\npassword_env = \"PW\"\n"), withConf,
			"directory[1].ccache", 6, "only one Kerberos credential"},
		{"kerberos to an IP address", directoryText("ldap://10.1.2.3", "bind = \"kerberos\"\n"), withConf,
			"directory[1].spn", 1, "by IP address"},
		{"kerberos without krb5.conf", directoryText("ldaps://dc1.corp", "bind = \"kerberos\"\nkrb5_conf = \"missing.conf\"\n"), nil,
			"directory[1].krb5_conf", 5, "missing.conf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(filepath.Join(dir, "calscan.toml"), tt.text, env(tt.env))
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

func TestSSPIOffWindowsIsAConfigError(t *testing.T) {
	if scanner.SSPISupported {
		t.Skip("Windows integrated authentication is available here")
	}
	_, err := Parse("calscan.toml", directoryText("ldaps://dc1.corp.example.com", "bind = \"sspi\"\n"), env(nil))
	var ce *Error
	if !errors.As(err, &ce) || len(ce.Problems) != 1 || ce.Problems[0].Key != "directory[1].bind" || ce.Problems[0].Line != 4 {
		t.Fatalf("want one problem at directory[1].bind, line 4; got %v", err)
	}
	if !strings.Contains(ce.Problems[0].Msg, `bind = "sspi" works only on Windows`) || !strings.Contains(ce.Problems[0].Msg, "kerberos with a keytab or ccache") {
		t.Errorf("message %q", ce.Problems[0].Msg)
	}
}

// TestREADMEShowsTheExampleConfig keeps the README's commented config the
// same as config.example.toml, which the test above loads.
func TestREADMEShowsTheExampleConfig(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	norm := func(b []byte) string { return strings.ReplaceAll(string(b), "\r\n", "\n") }
	if !strings.Contains(norm(readme), "```toml\n"+strings.TrimRight(norm(example), "\n")+"\n```") {
		t.Error("README.md's configuration block differs from config.example.toml: paste the file into the README")
	}
}
