package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/calscan/calscan/report"
	"github.com/calscan/calscan/rules"
	"github.com/calscan/calscan/scanner"
)

// validator turns a decoded File into a Config, collecting every problem.
type validator struct {
	path      string
	dir       string // relative file names are resolved against the config's folder
	lines     keyLines
	lookupEnv func(string) (string, bool)
	problems  []Problem
	warnings  []string
}

func (v *validator) problem(key, msg string) {
	v.problems = append(v.problems, Problem{Key: key, Line: v.lines.line(key), Msg: msg})
}

func (v *validator) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(v.dir, p)
}

func (v *validator) config(f *File) *Config {
	cfg := &Config{Path: v.path}
	cfg.Directories = v.directories(f.Directories)
	cfg.Policy = v.policy(f)
	for _, d := range cfg.Directories {
		cfg.Policy.Directories = append(cfg.Policy.Directories, rules.DirectoryInfo{
			Name:                    d.Name(),
			Source:                  directorySource(d),
			TLSVerificationDisabled: d.LDAP.InsecureSkipVerify,
		})
	}
	cfg.Report = v.report(f.Report)
	cfg.Email = v.email(f.Email)
	cfg.Warnings = v.warnings
	return cfg
}

func directorySource(d Directory) string {
	if d.Offline() {
		return d.LDIF
	}
	return d.LDAP.URL
}

func (v *validator) directories(blocks []DirectoryFile) []Directory {
	if len(blocks) == 0 {
		v.problem("directory", "no [[directory]] block: name at least one domain to scan (url = \"ldaps://…\") or an LDIF export (ldif = \"…\")")
		return nil
	}
	names := map[string]bool{}
	var out []Directory
	for i, b := range blocks {
		key := func(k string) string { return fmt.Sprintf("directory[%d].%s", i+1, k) }
		d := v.directory(b, key)
		if d.LDAP.Name == "" {
			d.LDAP.Name = fmt.Sprintf("directory%d", i+1)
		}
		lower := strings.ToLower(d.LDAP.Name)
		if names[lower] {
			v.problem(key("name"), fmt.Sprintf("%q is used by two [[directory]] blocks; names must be unique", d.LDAP.Name))
		}
		names[lower] = true
		out = append(out, d)
	}
	return out
}

func (v *validator) directory(b DirectoryFile, key func(string) string) Directory {
	d := Directory{LDAP: scanner.LDAPOptions{Name: b.Name}}
	if d.LDAP.Name == "" {
		d.LDAP.Name = nameFromBaseDN(b.BaseDN)
	}
	switch {
	case b.URL != "" && b.LDIF != "":
		v.problem(key("ldif"), "set either url (a live scan) or ldif (an offline export), not both")
		return d
	case b.LDIF != "":
		d.LDIF = v.resolve(b.LDIF)
		if _, err := os.Stat(d.LDIF); err != nil {
			v.problem(key("ldif"), fmt.Sprintf("cannot read the export: %v", err))
		}
		d.LDAP.BaseDN = b.BaseDN
		return d
	case b.URL == "":
		v.problem(key("url"), "missing: the domain controller to scan, e.g. \"ldaps://dc1.corp.example.com\" (or ldif = \"export.ldif\" for an offline audit)")
		return d
	}
	o := &d.LDAP
	o.URL = b.URL
	if u, err := url.Parse(b.URL); err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Host == "" {
		v.problem(key("url"), fmt.Sprintf("%q is not an LDAP URL: use ldap://host[:port] or ldaps://host[:port]", b.URL))
	} else if u.Scheme == "ldaps" && b.StartTLS {
		v.problem(key("start_tls"), "start_tls is for ldap:// URLs; an ldaps:// URL is already encrypted")
	}
	// Without base_dn the scan reads the DC's own domain (its
	// defaultNamingContext), or the whole forest on a Global Catalog port.
	o.BaseDN = strings.TrimSpace(b.BaseDN)
	o.Bind = strings.ToLower(b.Bind)
	if o.Bind == "" {
		o.Bind = scanner.BindSimple
	}
	v.credentials(b, o, key)
	o.StartTLS = b.StartTLS
	o.CAFile = v.resolve(b.CAFile)
	if o.CAFile != "" {
		if _, err := os.Stat(o.CAFile); err != nil {
			v.problem(key("ca_file"), fmt.Sprintf("cannot read the CA bundle: %v", err))
		}
	}
	o.InsecureSkipVerify = b.InsecureSkipVerify
	if o.InsecureSkipVerify {
		v.warnings = append(v.warnings, fmt.Sprintf("%s: insecure_skip_verify = true: the domain controller's certificate is not checked; anyone on the network path could read the bind password. Set ca_file instead.", key("insecure_skip_verify")))
	}
	if strings.HasPrefix(b.URL, "ldap://") && !b.StartTLS && o.Bind == scanner.BindSimple {
		v.warnings = append(v.warnings, fmt.Sprintf("%s: simple bind over plain ldap:// sends the password unencrypted; use ldaps:// or start_tls = true", key("url")))
	}
	o.ServerName = b.ServerName
	o.PageSize = scanner.DefaultPageSize
	if b.PageSize != nil {
		if *b.PageSize < 1 || *b.PageSize > 100000 {
			v.problem(key("page_size"), fmt.Sprintf("%d is out of range: use 1 to 100000 (AD serves at most 1000 per page unless MaxPageSize was raised)", *b.PageSize))
		}
		o.PageSize = *b.PageSize
	}
	o.Timeout = defaultTimeout()
	if b.Timeout != "" {
		t, err := time.ParseDuration(b.Timeout)
		if err != nil || t <= 0 {
			v.problem(key("timeout"), fmt.Sprintf("%q is not a duration: write e.g. \"30s\" or \"2m\"", b.Timeout))
		} else {
			o.Timeout = t
		}
	}
	o.UserFilter = orDefault(b.UserFilter, scanner.DefaultUserFilter)
	o.ComputerFilter = orDefault(b.ComputerFilter, scanner.DefaultComputerFilter)
	o.GroupFilter = orDefault(b.GroupFilter, scanner.DefaultGroupFilter)
	for k, f := range map[string]string{"user_filter": o.UserFilter, "computer_filter": o.ComputerFilter, "group_filter": o.GroupFilter} {
		if !balancedFilter(f) {
			v.problem(key(k), fmt.Sprintf("%q is not an LDAP filter: it must be wrapped in parentheses, balanced", f))
		}
	}
	return d
}

func (v *validator) credentials(b DirectoryFile, o *scanner.LDAPOptions, key func(string) string) {
	switch o.Bind {
	case scanner.BindAnonymous:
		if b.BindDN != "" || b.PasswordEnv != "" || b.PasswordFile != "" {
			v.problem(key("bind"), "bind = \"anonymous\" takes no bind_dn or password; remove them or use bind = \"simple\"")
		}
	case scanner.BindSimple:
		if b.BindDN == "" {
			v.problem(key("bind_dn"), "missing: the account to bind as, e.g. \"svc-calscan@corp.example.com\" (a plain domain user is enough: reading accounts needs no admin rights)")
		}
		o.BindDN = b.BindDN
		o.Password = v.secret(b.PasswordEnv, b.PasswordFile, key, true)
	case scanner.BindNTLM:
		o.BindDN = b.BindDN
		o.Password = v.secret(b.PasswordEnv, b.PasswordFile, key, true)
	case scanner.BindKerberos, scanner.BindSSPI:
		o.BindDN = b.BindDN
		o.Password = v.secret(b.PasswordEnv, b.PasswordFile, key, false)
	default:
		v.problem(key("bind"), fmt.Sprintf("%q is not a bind method: use simple, kerberos, sspi, ntlm or anonymous", b.Bind))
		return
	}
	// The Kerberos keys; an SPN also serves Windows integrated authentication.
	for _, k := range []struct{ name, value string }{
		{"keytab", b.Keytab}, {"ccache", b.CCache}, {"krb5_conf", b.Krb5Conf}, {"realm", b.Realm}, {"spn", b.SPN},
	} {
		if k.value != "" && o.Bind != scanner.BindKerberos && (o.Bind != scanner.BindSSPI || k.name != "spn") {
			v.problem(key(k.name), fmt.Sprintf("%s is a setting of bind = \"kerberos\", not of bind = %q", k.name, o.Bind))
		}
	}
	o.Kerberos = scanner.KerberosOptions{
		Keytab: v.resolve(b.Keytab), CCache: b.CCache, Krb5Conf: v.resolve(b.Krb5Conf), Realm: b.Realm, SPN: b.SPN,
	}
	if !strings.Contains(b.CCache, ":") { // a path, not TYPE:residual
		o.Kerberos.CCache = v.resolve(b.CCache)
	}
	for _, p := range scanner.PrepareBind(o, v.lookupEnv) {
		v.problem(key(p.Key), p.Msg)
	}
}

// secret resolves password_env / password_file; the file never holds a password in clear.
func (v *validator) secret(env, file string, key func(string) string, required bool) string {
	switch {
	case env != "" && file != "":
		v.problem(key("password_env"), "set either password_env or password_file, not both")
	case env != "":
		val, ok := v.lookupEnv(env)
		if !ok || val == "" {
			v.problem(key("password_env"), fmt.Sprintf("the environment variable %s is not set or empty", env))
		}
		return val
	case file != "":
		data, err := os.ReadFile(v.resolve(file))
		if err != nil {
			v.problem(key("password_file"), fmt.Sprintf("cannot read it: %v", err))
			return ""
		}
		pw := strings.TrimRight(string(data), "\r\n")
		if pw == "" {
			v.problem(key("password_file"), "the file is empty")
		}
		return pw
	case required:
		v.problem(key("password_env"), "missing: name an environment variable (password_env) or a file (password_file) holding the bind password; it is never written in calscan.toml")
	}
	return ""
}

func (v *validator) report(r ReportFile) Report {
	out := Report{OutDir: orDefault(r.OutDir, DefaultOutDir), HistoryDir: r.HistoryDir, HistoryKeep: DefaultHistoryKeep}
	out.OutDir = v.resolve(out.OutDir)
	out.HistoryDir = v.resolve(out.HistoryDir)
	if out.HistoryDir == "" { // keep a history by default, so the report can show the trend
		out.HistoryDir = filepath.Join(out.OutDir, "history")
	}
	out.Formats = DefaultFormats
	if r.Formats != nil {
		formats, err := ParseFormats(strings.Join(r.Formats, ","))
		if err != nil {
			v.problem("report.formats", err.Error())
		}
		out.Formats = formats
	}
	if r.HistoryKeep != nil {
		if *r.HistoryKeep < 1 {
			v.problem("report.history_keep", "must be at least 1")
		}
		out.HistoryKeep = *r.HistoryKeep
	}
	return out
}

// ParseFormats reads a comma-separated list of report formats.
func ParseFormats(list string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(list, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		if !slices.Contains(DefaultFormats, f) {
			return nil, fmt.Errorf("%q is not a report format: use html, csv and/or json", f)
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no report format given: use html, csv and/or json")
	}
	return out, nil
}

func (v *validator) email(e EmailFile) Email {
	if e.SMTPHost == "" && e.From == "" && len(e.To) == 0 && e.Username == "" && e.PasswordEnv == "" && e.PasswordFile == "" {
		return Email{}
	}
	out := Email{Configured: true, Host: e.SMTPHost, Port: e.SMTPPort, TLS: orDefault(strings.ToLower(e.TLS), "starttls"),
		Username: e.Username, From: e.From, To: e.To, Send: orDefault(strings.ToLower(e.Send), "always"), Subject: orDefault(e.Subject, DefaultSubject)}
	if out.Host == "" {
		v.problem("email.smtp_host", "missing: the SMTP server to send reports through")
	}
	switch out.TLS {
	case "starttls", "tls", "none":
	default:
		v.problem("email.tls", fmt.Sprintf("%q is not a TLS mode: use starttls, tls or none", e.TLS))
	}
	if out.Port == 0 {
		out.Port = map[string]int{"starttls": 587, "tls": 465, "none": 25}[out.TLS]
	} else if out.Port < 1 || out.Port > 65535 {
		v.problem("email.smtp_port", fmt.Sprintf("%d is not a port", e.SMTPPort))
	}
	if out.From == "" {
		v.problem("email.from", "missing: the sender address")
	}
	if len(out.To) == 0 {
		v.problem("email.to", "missing: at least one recipient")
	}
	switch out.Send {
	case "always", "on-violation", "on-change":
	default:
		v.problem("email.send", fmt.Sprintf("%q is not a send rule: use always, on-violation or on-change", e.Send))
	}
	if err := report.CheckSubject(out.Subject); err != nil {
		v.problem("email.subject", err.Error())
	}
	out.CAFile = v.resolve(e.CAFile)
	if out.CAFile != "" {
		if _, err := os.Stat(out.CAFile); err != nil {
			v.problem("email.ca_file", fmt.Sprintf("cannot read the CA bundle: %v", err))
		}
	}
	out.Timeout = 30 * time.Second
	if e.Timeout != "" {
		t, err := time.ParseDuration(e.Timeout)
		if err != nil || t <= 0 {
			v.problem("email.timeout", fmt.Sprintf("%q is not a duration: write e.g. \"30s\"", e.Timeout))
		} else {
			out.Timeout = t
		}
	}
	if e.Username != "" {
		out.Password = v.secret(e.PasswordEnv, e.PasswordFile, func(k string) string { return "email." + k }, true)
	}
	return out
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// nameFromBaseDN names a directory after its first DC component ("corp").
func nameFromBaseDN(dn string) string {
	for _, part := range strings.Split(dn, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "dc") {
			return strings.ToLower(strings.TrimSpace(val))
		}
	}
	return ""
}

func balancedFilter(f string) bool {
	if !strings.HasPrefix(f, "(") || !strings.HasSuffix(f, ")") {
		return false
	}
	depth := 0
	for _, r := range f {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}
