package scanner

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeTestFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPrepareKerberos(t *testing.T) {
	t.Parallel()
	krb5 := writeTestFile(t, "krb5.conf", `[libdefaults]
	default_realm = CORP.EXAMPLE.COM
	dns_lookup_kdc = false
[realms]
	CORP.EXAMPLE.COM = {
		kdc = dc1.corp.example.com
		v4_instance_convert = {
			kerberos = kerberos
		}
	}
`)
	noDefaultRealm := writeTestFile(t, "krb5-no-default.conf", "[libdefaults]\n\tdns_lookup_kdc = false\n[realms]\n\tCORP.EXAMPLE.COM = {\n\t\tkdc = dc1\n\t}\n")
	dnsLookup := writeTestFile(t, "krb5-dns.conf", "[libdefaults]\n\tdefault_realm = OTHER.EXAMPLE.COM\n\tdns_lookup_kdc = true\n")
	keytab := writeTestFile(t, "svc.keytab", "not read here")
	missing := filepath.Join(t.TempDir(), "missing")

	env := map[string]string{"KRB5_CONFIG": krb5, "KRB5CCNAME": "FILE:/run/user/1000/krb5cc"}
	tests := []struct {
		name     string
		url      string
		bindDN   string
		password string
		env      map[string]string
		k        KerberosOptions
		want     KerberosOptions // the fields checked; empty ones are not
		problems []string        // "key: text" fragments, in order
	}{
		{name: "credential cache from the environment", env: env,
			want: KerberosOptions{CCache: "FILE:/run/user/1000/krb5cc", Krb5Conf: krb5, Realm: "CORP.EXAMPLE.COM", SPN: "ldap/dc1.corp.example.com"}},
		{name: "default credential cache", env: map[string]string{"KRB5_CONFIG": krb5},
			want: KerberosOptions{CCache: fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid())}},
		{name: "keytab with a principal in lower case", bindDN: "svc-calscan@corp.example.com", env: env, k: KerberosOptions{Keytab: keytab},
			want: KerberosOptions{Keytab: keytab, Realm: "CORP.EXAMPLE.COM"}},
		{name: "password takes the default realm", bindDN: "svc-calscan", password: "pw", env: env,
			want: KerberosOptions{Realm: "CORP.EXAMPLE.COM"}},
		{name: "explicit settings are kept", bindDN: "svc-calscan", password: "pw", env: env,
			k:    KerberosOptions{Krb5Conf: noDefaultRealm, Realm: "corp.example.com", SPN: "ldap/dc9.corp.example.com"},
			want: KerberosOptions{Krb5Conf: noDefaultRealm, Realm: "CORP.EXAMPLE.COM", SPN: "ldap/dc9.corp.example.com"}},
		{name: "global catalog over TLS", url: "ldaps://gc.corp.example.com:3269", env: env,
			want: KerberosOptions{SPN: "ldap/gc.corp.example.com"}},
		{name: "an IP address with an explicit SPN", url: "ldap://10.0.0.5", env: env, k: KerberosOptions{SPN: "ldap/dc1.corp.example.com"},
			want: KerberosOptions{SPN: "ldap/dc1.corp.example.com"}},
		{name: "krb5.conf that looks KDCs up in DNS", bindDN: "svc", password: "pw", env: map[string]string{"KRB5_CONFIG": dnsLookup},
			want: KerberosOptions{Realm: "OTHER.EXAMPLE.COM"}},

		{name: "two credentials", bindDN: "svc-calscan", password: "pw", env: env, k: KerberosOptions{Keytab: keytab},
			problems: []string{"keytab: set only one Kerberos credential"}},
		{name: "keytab without a principal", env: env, k: KerberosOptions{Keytab: keytab},
			problems: []string{"bind_dn: missing: the Kerberos principal whose keytab"}},
		{name: "unreadable keytab", bindDN: "svc-calscan", env: env, k: KerberosOptions{Keytab: missing},
			problems: []string{"keytab: cannot read it"}},
		{name: "a DN is not a principal", bindDN: "CN=svc,DC=corp", password: "pw", env: env,
			problems: []string{`bind_dn: "CN=svc,DC=corp" is not a Kerberos principal`}},
		{name: `DOMAIN\user is not a principal`, bindDN: `CORP\svc`, password: "pw", env: env,
			problems: []string{`bind_dn: "CORP\svc" is not a Kerberos principal`}},
		{name: "realm differs from the principal's", bindDN: "svc@CORP.EXAMPLE.COM", password: "pw", env: env, k: KerberosOptions{Realm: "OTHER.COM"},
			problems: []string{`realm: "OTHER.COM" differs from the realm of bind_dn (CORP.EXAMPLE.COM)`, "krb5_conf: "}},
		{name: "no realm anywhere", bindDN: "svc", password: "pw", env: map[string]string{"KRB5_CONFIG": noDefaultRealm},
			problems: []string{"realm: missing"}},
		{name: "realm without a KDC", bindDN: "svc@OTHER.EXAMPLE.COM", password: "pw", env: env,
			problems: []string{"krb5_conf: " + krb5 + " names no KDC for realm OTHER.EXAMPLE.COM"}},
		{name: "missing krb5.conf", bindDN: "svc", password: "pw", env: map[string]string{"KRB5_CONFIG": missing},
			problems: []string{"krb5_conf: read " + missing}},
		{name: "a keyring credential cache", env: map[string]string{"KRB5_CONFIG": krb5, "KRB5CCNAME": "KEYRING:persistent:1000"},
			problems: []string{`ccache: "KEYRING:persistent:1000" is a KEYRING credential cache`}},
		{name: "an IP address without an SPN", url: "ldaps://10.0.0.5:636", env: env,
			problems: []string{"spn: url names the domain controller by IP address (10.0.0.5)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := LDAPOptions{URL: "ldaps://dc1.corp.example.com", Bind: BindKerberos, BindDN: tt.bindDN, Password: tt.password, Kerberos: tt.k}
			if tt.url != "" {
				o.URL = tt.url
			}
			problems := PrepareBind(&o, func(name string) (string, bool) { v, ok := tt.env[name]; return v, ok })
			var got []string
			for _, p := range problems {
				got = append(got, p.Error())
			}
			if len(got) != len(tt.problems) {
				t.Fatalf("problems %q, want %d like %q", got, len(tt.problems), tt.problems)
			}
			for i, want := range tt.problems {
				if !strings.Contains(got[i], want) {
					t.Errorf("problem %d is %q, want it to contain %q", i, got[i], want)
				}
			}
			k, w := o.Kerberos, tt.want
			for _, f := range []struct{ name, got, want string }{
				{"Keytab", k.Keytab, w.Keytab}, {"CCache", k.CCache, w.CCache}, {"Krb5Conf", k.Krb5Conf, w.Krb5Conf},
				{"Realm", k.Realm, w.Realm}, {"SPN", k.SPN, w.SPN},
			} {
				if f.want != "" && f.got != f.want {
					t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
				}
			}
		})
	}
}

func TestKerberosReason(t *testing.T) {
	t.Parallel()
	const spn = "ldap/dc1.corp.example.com"
	tests := []struct {
		name, msg, source string
		want              string // "" when the message is not recognised
	}{
		{"clock skew", "KRB Error: (37) KRB_AP_ERR_SKEW Clock skew too great", fromKeytab, "clock skew"},
		{"unknown principal", "KRB Error: (6) KDC_ERR_C_PRINCIPAL_UNKNOWN Client not found in Kerberos database", fromPassword, "principal unknown"},
		{"unknown SPN", "KRB Error: (7) KDC_ERR_S_PRINCIPAL_UNKNOWN Server not found in Kerberos database", fromCCache, "SPN unknown: no account has the service principal name " + spn},
		{"wrong password", "KRB Error: (24) KDC_ERR_PREAUTH_FAILED Pre-authentication information was invalid", fromPassword, "wrong password"},
		{"wrong keytab", "KRB Error: (24) KDC_ERR_PREAUTH_FAILED Pre-authentication information was invalid", fromKeytab, "wrong keytab"},
		{"bad integrity with a keytab", "KRB Error: (31) KRB_AP_ERR_BAD_INTEGRITY Integrity check on decrypted field failed", fromKeytab, "wrong keytab"},
		{"revoked", "KRB Error: (18) KDC_ERR_CLIENT_REVOKED Clients credentials have been revoked", fromPassword, "disabled, locked out or expired"},
		{"password expired", "KRB Error: (23) KDC_ERR_KEY_EXPIRED Password has expired", fromPassword, "password has expired"},
		{"ticket expired", "KRB Error: (32) KRB_AP_ERR_TKT_EXPIRED Ticket expired", fromCCache, "run kinit again"},
		{"no common encryption type", "KRB Error: (14) KDC_ERR_ETYPE_NOSUPP KDC has no support for encryption type", fromKeytab, "AES keys"},
		{"ticket for another account", "KRB Error: (41) KRB_AP_ERR_MODIFIED Message stream modified", fromKeytab, spn + " belongs to another account"},
		{"KDC unreachable", "failed to communicate with KDC. Attempts made with UDP (…) and then TCP (…)", fromKeytab, "KDC unreachable"},
		{"no KDC configured", "no KDCs defined in configuration for realm CORP.EXAMPLE.COM", fromKeytab, "KDC unreachable"},
		{"something else", "KRB Error: (12) KDC_ERR_POLICY KDC policy rejects request", fromKeytab, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := kerberosReason(tt.msg, tt.source, spn)
			if ok != (tt.want != "") || !strings.Contains(got, tt.want) {
				t.Errorf("kerberosReason(%q) = %q, %v; want %q", tt.msg, got, ok, tt.want)
			}
		})
	}
}

func TestCCacheFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "path", in: "/tmp/krb5cc_1000", want: "/tmp/krb5cc_1000"},
		{name: "FILE: cache", in: "FILE:/tmp/krb5cc_1000", want: "/tmp/krb5cc_1000"},
		{name: "file: in lower case", in: "file:/tmp/cc", want: "/tmp/cc"},
		{name: "Windows path", in: `C:\Users\svc\krb5cc`, want: `C:\Users\svc\krb5cc`},
		{name: "kernel keyring", in: "KEYRING:persistent:1000", wantErr: true},
		{name: "KCM daemon", in: "KCM:", wantErr: true},
		{name: "cache collection", in: "DIR::/run/user/1000/krb5cc/tkt", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ccacheFile(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ccacheFile(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestSplitAccount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, domain, user string
		ok               bool
	}{
		{`CORP\svc-calscan`, "CORP", "svc-calscan", true},
		{"svc-calscan@corp.example.com", "corp.example.com", "svc-calscan", true},
		{"svc-calscan", "", "", false},
		{"CN=svc,OU=Service Accounts,DC=corp,DC=example,DC=com", "", "", false},
		{`\svc`, "", "svc", false},
		{`CORP\`, "CORP", "", false},
		{"svc@", "", "svc", false},
		{`CORP\svc@corp.example.com`, "CORP", "svc@corp.example.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			domain, user, ok := splitAccount(tt.in)
			if got := []string{domain, user, fmt.Sprint(ok)}; !slices.Equal(got, []string{tt.domain, tt.user, fmt.Sprint(tt.ok)}) {
				t.Errorf("splitAccount(%q) = %q", tt.in, got)
			}
		})
	}
}
