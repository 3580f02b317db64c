package scanner_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/rs/zerolog"

	"github.com/calscan/calscan/scanner"
)

// kerberosFixture holds the credentials the Kerberos tests bind with: a
// keytab exported from the DC and a credential cache made by kinit, both for
// the plain domain user.
type kerberosFixture struct {
	principal string // user, without the realm
	keytab    string
	ccache    string
}

func kerberosSetup(t *testing.T, s samba) kerberosFixture {
	t.Helper()
	ensureLDAPSPN(t, s)
	user, _, _ := strings.Cut(s.userUPN, "@")
	dir := t.TempDir()
	f := kerberosFixture{
		principal: user,
		keytab:    filepath.Join(dir, user+".keytab"),
		ccache:    filepath.Join(dir, user+".ccache"),
	}
	principal := user + "@" + s.realm
	runTool(t, s, "", nil, "samba-tool", "domain", "exportkeytab", f.keytab, "--principal="+principal, "-s", s.smbConf(t))
	runTool(t, s, s.userPass+"\n", []string{"KRB5CCNAME=FILE:" + f.ccache}, "kinit", principal)
	return f
}

func (s samba) kerberosOptions(rawURL string) scanner.LDAPOptions {
	o := s.userOptions(rawURL)
	o.Bind, o.BindDN, o.Password = scanner.BindKerberos, "", ""
	o.Kerberos = scanner.KerberosOptions{Krb5Conf: s.krb5Conf, SPN: s.spn}
	return o
}

func TestSambaKerberosBind(t *testing.T) {
	t.Parallel()
	s := sambaDC(t)
	f := kerberosSetup(t, s)
	domain, err := scan(t.Context(), t, s.userOptions(s.ldapsURL), zerolog.New(zerolog.NewTestWriter(t)))
	if err != nil {
		t.Fatalf("simple-bind scan: %v", err)
	}
	tests := []struct {
		name string
		url  string
		edit func(*scanner.LDAPOptions)
	}{
		{name: "keytab", url: s.ldapURL, edit: func(o *scanner.LDAPOptions) {
			o.BindDN, o.Kerberos.Keytab = f.principal, f.keytab
		}},
		{name: "keytab, principal with realm, over LDAPS", url: s.ldapsURL, edit: func(o *scanner.LDAPOptions) {
			o.BindDN, o.Kerberos.Keytab = f.principal+"@"+strings.ToLower(s.realm), f.keytab
		}},
		{name: "credential cache", url: s.ldapURL, edit: func(o *scanner.LDAPOptions) {
			o.Kerberos.CCache = "FILE:" + f.ccache
		}},
		{name: "credential cache for bind_dn", url: s.ldapsURL, edit: func(o *scanner.LDAPOptions) {
			o.BindDN, o.Kerberos.CCache = f.principal, f.ccache
		}},
		{name: "password", url: s.ldapURL, edit: func(o *scanner.LDAPOptions) {
			o.BindDN, o.Password, o.Kerberos.Realm = f.principal, s.userPass, s.realm
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := s.kerberosOptions(tt.url)
			tt.edit(&opts)
			logs := &syncBuffer{}
			got, err := scan(t.Context(), t, opts, zerolog.New(logs))
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			for _, k := range []scanner.Kind{scanner.KindUser, scanner.KindComputer, scanner.KindGroup} {
				if got.counts[k] != domain.counts[k] {
					t.Errorf("%v: the Kerberos scan read %d, the simple-bind scan %d", k, got.counts[k], domain.counts[k])
				}
			}
			if !strings.Contains(logs.String(), `"bind":"kerberos"`) {
				t.Errorf("the logs do not show a kerberos bind:\n%s", logs)
			}
			if strings.Contains(logs.String(), s.userPass) {
				t.Error("the password leaked into the logs")
			}
		})
	}
}

func TestSambaKerberosFailures(t *testing.T) {
	t.Parallel()
	s := sambaDC(t)
	f := kerberosSetup(t, s)
	const wrongPassword = "Wr0ng!calscan-test"

	wrongKeytab := filepath.Join(t.TempDir(), "wrong.keytab")
	kt := keytab.New()
	for _, etype := range []int32{etypeID.AES256_CTS_HMAC_SHA1_96, etypeID.AES128_CTS_HMAC_SHA1_96, etypeID.RC4_HMAC} {
		if err := kt.AddEntry(f.principal, s.realm, wrongPassword, time.Now(), 1, etype); err != nil {
			t.Fatal(err)
		}
	}
	ktBytes, err := kt.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(wrongKeytab, ktBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	unreachableConf := writeFile(t, "krb5.conf", []byte(fmt.Sprintf(
		"[libdefaults]\n\tdefault_realm = %s\n\tdns_lookup_kdc = false\n[realms]\n\t%s = {\n\t\tkdc = %s\n\t}\n",
		s.realm, s.realm, closedAddr(t))))

	tests := []struct {
		name string
		edit func(*scanner.LDAPOptions)
		want []string
	}{
		{name: "wrong password", edit: func(o *scanner.LDAPOptions) { o.BindDN, o.Password = f.principal, wrongPassword },
			want: []string{"wrong password", f.principal + "@" + s.realm}},
		{name: "wrong keytab", edit: func(o *scanner.LDAPOptions) { o.BindDN, o.Kerberos.Keytab = f.principal, wrongKeytab },
			want: []string{"wrong keytab", "export the keytab again"}},
		{name: "principal unknown", edit: func(o *scanner.LDAPOptions) { o.BindDN, o.Password = "nosuch-calscan", wrongPassword },
			want: []string{"principal unknown", "nosuch-calscan@" + s.realm}},
		{name: "account disabled", edit: func(o *scanner.LDAPOptions) { o.BindDN, o.Password = "pwdisabled", s.userPass },
			want: []string{"disabled, locked out or expired"}},
		{name: "SPN unknown", edit: func(o *scanner.LDAPOptions) {
			o.BindDN, o.Kerberos.Keytab, o.Kerberos.SPN = f.principal, f.keytab, "ldap/nosuch."+strings.ToLower(s.realm)
		}, want: []string{"SPN unknown", "ldap/nosuch." + strings.ToLower(s.realm)}},
		{name: "KDC unreachable", edit: func(o *scanner.LDAPOptions) {
			o.BindDN, o.Kerberos.Keytab, o.Kerberos.Krb5Conf = f.principal, f.keytab, unreachableConf
		}, want: []string{"KDC unreachable", "port 88"}},
		{name: "no credential cache", edit: func(o *scanner.LDAPOptions) { o.Kerberos.CCache = filepath.Join(t.TempDir(), "none") },
			want: []string{"no credential cache", "run kinit"}},
		{name: "credential cache of another principal", edit: func(o *scanner.LDAPOptions) {
			o.BindDN, o.Kerberos.CCache = "svc-other", f.ccache
		}, want: []string{"holds tickets for " + f.principal + "@" + s.realm, "not bind_dn svc-other"}},
		{name: "URL by IP without an SPN", edit: func(o *scanner.LDAPOptions) {
			o.BindDN, o.Kerberos.Keytab, o.Kerberos.SPN = f.principal, f.keytab, ""
		}, want: []string{"by IP address", "spn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := s.kerberosOptions(s.ldapURL)
			tt.edit(&opts)
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			logs := &syncBuffer{}
			got, err := scan(ctx, t, opts, zerolog.New(logs).Level(zerolog.DebugLevel))
			t.Logf("error: %v", err)
			var de *scanner.DirectoryError
			if !errors.As(err, &de) || de.Op != "bind" {
				t.Fatalf("error %v, want a bind DirectoryError", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			for _, secret := range []string{s.userPass, wrongPassword} {
				if strings.Contains(err.Error()+logs.String(), secret) {
					t.Errorf("the password %q leaked into the error or the logs", secret)
				}
			}
			if len(got.counts) != 0 {
				t.Errorf("objects emitted despite the bind failure: %v", got.counts)
			}
		})
	}
}

// closedAddr is a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}
