package scanner_test

// Tests against a real Active Directory: the Samba AD DC that
// scripts/samba-dc.sh starts on 127.0.0.1 (source its env.sh first). They are
// skipped when nothing says a DC is there; with CALSCAN_SAMBA=1 a missing
// environment fails them instead.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
	"github.com/rs/zerolog"

	"github.com/calscan/calscan/scanner"
)

// samba is what scripts/samba-dc.sh's env.sh tells a test.
type samba struct {
	ldapURL, ldapsURL, gcURL string
	baseDN, caFile           string
	realm, netbios           string
	dcHost, spn              string
	krb5Conf                 string
	adminUPN, adminPass      string
	userUPN, userPass        string // a plain domain user: least privilege
}

func sambaDC(t *testing.T) samba {
	t.Helper()
	var s samba
	vars := []struct {
		name  string
		field *string
	}{
		{"AD_LDAP_URL", &s.ldapURL}, {"AD_LDAPS_URL", &s.ldapsURL}, {"AD_GC_URL", &s.gcURL},
		{"AD_BASE_DN", &s.baseDN}, {"AD_CA_FILE", &s.caFile}, {"AD_REALM", &s.realm}, {"AD_DOMAIN", &s.netbios},
		{"AD_DC_HOST", &s.dcHost}, {"AD_LDAP_SPN", &s.spn}, {"AD_KRB5_CONFIG", &s.krb5Conf},
		{"AD_BIND_UPN", &s.adminUPN}, {"AD_BIND_PASS", &s.adminPass},
		{"AD_USER_UPN", &s.userUPN}, {"AD_USER_PASS", &s.userPass},
	}
	var missing []string
	for _, v := range vars {
		if *v.field = os.Getenv(v.name); *v.field == "" {
			missing = append(missing, v.name)
		}
	}
	if s.ldapURL == "" && os.Getenv("CALSCAN_SAMBA") == "" {
		t.Skip("no Samba AD DC: run `bash scripts/samba-dc.sh start` and source its env.sh")
	}
	if len(missing) > 0 {
		t.Fatalf("the Samba DC's environment is incomplete, missing %v: source the env.sh written by scripts/samba-dc.sh", missing)
	}
	return s
}

// gcsURL is the Global Catalog over TLS on the LDAPS host.
func (s samba) gcsURL(t *testing.T) string {
	t.Helper()
	u, err := url.Parse(s.ldapsURL)
	if err != nil {
		t.Fatalf("AD_LDAPS_URL: %v", err)
	}
	return "ldaps://" + net.JoinHostPort(u.Hostname(), "3269")
}

// userOptions binds as the plain domain user over url (TLS with the DC's CA
// for ldaps://).
func (s samba) userOptions(rawURL string) scanner.LDAPOptions {
	o := scanner.LDAPOptions{
		Name: "corp", URL: rawURL, BaseDN: s.baseDN,
		Bind: scanner.BindSimple, BindDN: s.userUPN, Password: s.userPass,
		Timeout: 30 * time.Second,
	}
	if strings.HasPrefix(rawURL, "ldaps://") {
		o.CAFile = s.caFile
	}
	return o
}

// smbConf finds the DC's smb.conf, which samba-tool needs to read its
// database: $AD_SMB_CONF, else where scripts/samba-dc.sh provisions it
// (next to the krb5.conf it writes).
func (s samba) smbConf(t *testing.T) string {
	t.Helper()
	p := os.Getenv("AD_SMB_CONF")
	if p == "" {
		p = filepath.Join(filepath.Dir(s.krb5Conf), "dc", "etc", "smb.conf")
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("the DC's smb.conf (for samba-tool): %v; set AD_SMB_CONF", err)
	}
	return p
}

// runTool runs a command with the DC's krb5.conf and fails the test on error.
func runTool(t *testing.T, s samba, stdin string, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), name, args...)
	cmd.Env = append(append(os.Environ(), "KRB5_CONFIG="+s.krb5Conf), env...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func TestSambaNTLMBindIsNotServed(t *testing.T) {
	t.Parallel()
	s := sambaDC(t)
	user, _, _ := strings.Cut(s.userUPN, "@")
	for _, rawURL := range []string{s.ldapURL, s.ldapsURL} {
		t.Run(rawURL, func(t *testing.T) {
			t.Parallel()
			opts := s.userOptions(rawURL)
			opts.Bind, opts.BindDN = scanner.BindNTLM, s.netbios+`\`+user
			logs := &syncBuffer{}
			_, err := scanner.NewLDAP(opts, zerolog.New(logs)).Check(t.Context())
			t.Logf("error: %v", err)
			var de *scanner.DirectoryError
			if !errors.As(err, &de) || de.Op != "bind" {
				t.Fatalf("error %v, want a bind DirectoryError", err)
			}
			for _, want := range []string{"closed the connection", "NTLM (Sicily) bind", "kerberos"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if strings.Contains(err.Error()+logs.String(), s.userPass) {
				t.Error("the password leaked into the error or the logs")
			}
		})
	}
}

func TestSambaGlobalCatalog(t *testing.T) {
	t.Parallel()
	s := sambaDC(t)
	domain, err := scan(t.Context(), t, s.userOptions(s.ldapsURL), zerolog.New(zerolog.NewTestWriter(t)))
	if err != nil {
		t.Fatalf("domain scan: %v", err)
	}
	if domain.counts[scanner.KindUser] == 0 || domain.counts[scanner.KindComputer] == 0 {
		t.Fatalf("domain scan found %v", domain.counts)
	}
	tests := []struct {
		name   string
		url    string
		baseDN string
	}{
		{name: "forest root over 3268", url: s.gcURL, baseDN: ""},
		{name: "forest root over 3269 (TLS)", url: s.gcsURL(t), baseDN: ""},
		{name: "one domain of the forest", url: s.gcURL, baseDN: s.baseDN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			opts := s.userOptions(tt.url)
			opts.BaseDN = tt.baseDN
			logs := &syncBuffer{}
			got, err := scan(ctx, t, opts, zerolog.New(logs))
			if err != nil {
				t.Fatalf("Global Catalog scan: %v\n%s", err, logs)
			}
			for _, k := range []scanner.Kind{scanner.KindUser, scanner.KindComputer, scanner.KindGroup} {
				if got.counts[k] != domain.counts[k] {
					t.Errorf("%v: the Global Catalog gave %d, the domain %d", k, got.counts[k], domain.counts[k])
				}
			}
			if len(got.dupes) > 0 {
				t.Errorf("emitted more than once: %v", got.dupes)
			}
			if !strings.Contains(logs.String(), "partial attribute set") {
				t.Errorf("no warning about the Global Catalog's partial attribute set in the logs:\n%s", logs)
			}

			info, err := scanner.NewLDAP(opts, zerolog.New(zerolog.NewTestWriter(t))).Check(ctx)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if !info.GlobalCatalog || info.BaseDN != tt.baseDN || !info.BaseDNExists {
				t.Errorf("Check() = global catalog %v, base %q (exists %v), want true, %q, true",
					info.GlobalCatalog, info.BaseDN, info.BaseDNExists, tt.baseDN)
			}
		})
	}
}

// AD answers a subtree search at the domain root with continuation
// references to the partitions below it (Configuration, the DNS zones).
// They are logged and skipped: the scan neither fails nor waits on them.
func TestSambaReferralsAreNotFollowed(t *testing.T) {
	t.Parallel()
	s := sambaDC(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	logs := &syncBuffer{}
	got, err := scan(ctx, t, s.userOptions(s.ldapURL), zerolog.New(logs).Level(zerolog.DebugLevel))
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if got.counts[scanner.KindUser] == 0 {
		t.Fatalf("scan found %v", got.counts)
	}
	var referrals []string
	for line := range strings.SplitSeq(logs.String(), "\n") {
		if strings.Contains(line, "referral not followed") {
			referrals = append(referrals, line)
		}
	}
	if len(referrals) == 0 {
		t.Fatalf("no referral logged; the DC's partitions should give some:\n%s", logs)
	}
	if !strings.Contains(referrals[0], `"level":"debug"`) || !strings.Contains(referrals[0], "ldap://") {
		t.Errorf("referral log line %s, want a debug line naming the referral URL", referrals[0])
	}
}

// ensureLDAPSPN registers ldap/<DC host> on the DC's account when it is
// missing, as Windows does at promotion: Samba registers it from its
// dnsupdate service, which the test DC does not run.
func ensureLDAPSPN(t *testing.T, s samba) {
	t.Helper()
	opts := s.userOptions(s.ldapsURL)
	pemBytes, err := os.ReadFile(s.caFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pemBytes)
	conn, err := ldap.DialURL(s.ldapsURL, ldap.DialWithTLSConfig(&tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}))
	if err != nil {
		t.Fatalf("dial %s: %v", s.ldapsURL, err)
	}
	defer conn.Close()
	if err := conn.Bind(s.adminUPN, s.adminPass); err != nil {
		t.Fatalf("bind as %s: %v", s.adminUPN, err)
	}
	host, _, _ := strings.Cut(s.dcHost, ".")
	res, err := conn.Search(ldap.NewSearchRequest(opts.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(sAMAccountName="+ldap.EscapeFilter(strings.ToUpper(host))+"$)", []string{"servicePrincipalName"}, nil))
	if err != nil || len(res.Entries) != 1 {
		t.Fatalf("find the DC's account %s$: %v (%d entries)", strings.ToUpper(host), err, len(res.Entries))
	}
	for _, spn := range res.Entries[0].GetEqualFoldAttributeValues("servicePrincipalName") {
		if strings.EqualFold(spn, s.spn) {
			return
		}
	}
	mod := ldap.NewModifyRequest(res.Entries[0].DN, nil)
	mod.Add("servicePrincipalName", []string{s.spn})
	if err := conn.Modify(mod); err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultAttributeOrValueExists) {
		t.Fatalf("add %s to %s: %v", s.spn, res.Entries[0].DN, err)
	}
}
