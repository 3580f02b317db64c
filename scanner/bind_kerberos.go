package scanner

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
	"github.com/go-ldap/ldap/v3/gssapi"
	"github.com/jcmturner/gokrb5/v8/client"
	krbconfig "github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/types"
)

// KerberosOptions are the settings of bind = "kerberos". The credential is
// exactly one of: Keytab (for the principal in LDAPOptions.BindDN), the
// password (LDAPOptions.Password, for BindDN), or a credential cache left by
// kinit (CCache, the default when neither of the others is set).
type KerberosOptions struct {
	Keytab   string
	CCache   string // default $KRB5CCNAME, else /tmp/krb5cc_<uid>; FILE: caches only
	Krb5Conf string // default $KRB5_CONFIG, else /etc/krb5.conf
	Realm    string // default the principal's @REALM, else krb5.conf's default_realm
	SPN      string // the DC's service principal; default "ldap/<host of the url>"
}

const defaultKrb5Conf = "/etc/krb5.conf"

// Credential sources, as named in messages.
const (
	fromKeytab   = "keytab"
	fromPassword = "password"
	fromCCache   = "credential cache"
)

// source says where the Kerberos credential comes from.
func (k *KerberosOptions) source(password string) string {
	switch {
	case k.Keytab != "":
		return fromKeytab
	case password != "":
		return fromPassword
	}
	return fromCCache
}

// problemList collects SettingErrors.
type problemList []SettingError

func (l *problemList) add(key, format string, args ...any) {
	*l = append(*l, SettingError{Key: key, Msg: fmt.Sprintf(format, args...)})
}

func prepareKerberos(o *LDAPOptions, lookupEnv func(string) (string, bool)) []SettingError {
	var problems problemList
	k := &o.Kerberos
	envOr := func(name, def string) string {
		if v, ok := lookupEnv(name); ok && v != "" {
			return v
		}
		return def
	}
	checkKerberosCredential(o, &problems) // before the defaults, which are not choices
	if k.source(o.Password) == fromCCache && k.CCache == "" {
		k.CCache = envOr("KRB5CCNAME", defaultCCache())
	}
	if k.Krb5Conf == "" {
		k.Krb5Conf = envOr("KRB5_CONFIG", defaultKrb5Conf)
	}
	checkKerberosFiles(o, &problems)
	resolveRealm(o, &problems)
	if k.SPN == "" {
		if ep, err := parseEndpoint(o.URL); err == nil {
			if net.ParseIP(ep.host) != nil {
				problems.add("spn", "url names the domain controller by IP address (%s), but Kerberos needs its DNS name: use the name in url, or set spn = \"ldap/dc1.corp.example.com\"", ep.host)
			} else {
				k.SPN = "ldap/" + ep.host
			}
		}
	}
	return problems
}

// checkKerberosCredential: one credential, and the principal it belongs to.
func checkKerberosCredential(o *LDAPOptions, problems *problemList) {
	k := &o.Kerberos
	given := 0
	for _, set := range []bool{k.Keytab != "", k.CCache != "", o.Password != ""} {
		if set {
			given++
		}
	}
	if given > 1 {
		key := "keytab"
		if k.Keytab == "" {
			key = "ccache"
		}
		problems.add(key, "set only one Kerberos credential: keytab, ccache, or password_env/password_file")
	}
	if _, _, err := splitPrincipal(o.BindDN); err != nil {
		problems.add("bind_dn", "%v", err)
	}
	if source := k.source(o.Password); source != fromCCache && o.BindDN == "" {
		problems.add("bind_dn", "missing: the Kerberos principal whose %s is used, e.g. \"svc-calscan\" or \"svc-calscan@CORP.EXAMPLE.COM\"", source)
	}
}

// checkKerberosFiles: the keytab or credential cache can be read.
func checkKerberosFiles(o *LDAPOptions, problems *problemList) {
	k := &o.Kerberos
	switch k.source(o.Password) {
	case fromKeytab:
		if _, err := os.Stat(k.Keytab); err != nil {
			problems.add("keytab", "cannot read it: %v", err)
		}
	case fromCCache:
		if k.CCache == "" {
			problems.add("ccache", "missing: set keytab, ccache or password_env/password_file (on Windows, bind = \"sspi\" uses the logged-on account's tickets)")
		} else if _, err := ccacheFile(k.CCache); err != nil {
			problems.add("ccache", "%v", err)
		}
	}
}

// resolveRealm sets the realm (the principal's, realm, or krb5.conf's
// default_realm) and checks krb5.conf can find its KDCs. A credential cache
// names its own realm.
func resolveRealm(o *LDAPOptions, problems *problemList) {
	k := &o.Kerberos
	conf, err := loadKrb5Conf(k.Krb5Conf)
	if err != nil {
		problems.add("krb5_conf", "%v (set krb5_conf or KRB5_CONFIG to a krb5.conf that names your realm's KDCs)", err)
	}
	_, principalRealm, _ := splitPrincipal(o.BindDN)
	if principalRealm != "" && k.Realm != "" && !strings.EqualFold(principalRealm, k.Realm) {
		problems.add("realm", "%q differs from the realm of bind_dn (%s)", k.Realm, principalRealm)
	}
	if k.Realm == "" {
		k.Realm = principalRealm
	}
	if k.Realm == "" && conf != nil {
		k.Realm = conf.LibDefaults.DefaultRealm
	}
	k.Realm = strings.ToUpper(k.Realm)
	if k.source(o.Password) == fromCCache || conf == nil {
		return
	}
	switch {
	case k.Realm == "":
		problems.add("realm", "missing: write bind_dn as user@REALM, set realm, or set default_realm in %s", k.Krb5Conf)
	case !conf.LibDefaults.DNSLookupKDC && !namesRealm(conf, k.Realm):
		problems.add("krb5_conf", "%s names no KDC for realm %s: add it under [realms] (kdc = dc1.corp.example.com) or set dns_lookup_kdc = true", k.Krb5Conf, k.Realm)
	}
}

// defaultCCache is where kinit leaves tickets unless told otherwise: MIT's
// FILE:/tmp/krb5cc_<uid>. Windows keeps them in LSA, which bind = "sspi" uses.
func defaultCCache() string {
	if runtime.GOOS == "windows" {
		return ""
	}
	return fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid())
}

// splitPrincipal reads "user" or "user@REALM" (realm upper-cased, as AD's
// realm is its DNS domain in capitals). An empty name is not an error here.
func splitPrincipal(p string) (user, realm string, err error) {
	if strings.ContainsAny(p, `\=,`) || strings.Count(p, "@") > 1 {
		return "", "", fmt.Errorf("\"%s\" is not a Kerberos principal: write the account name, e.g. \"svc-calscan\" or \"svc-calscan@CORP.EXAMPLE.COM\" (not a DN or DOMAIN\\user)", p)
	}
	user, realm, _ = strings.Cut(p, "@")
	return user, strings.ToUpper(realm), nil
}

// ccacheFile turns a credential cache name (KRB5CCNAME syntax) into the
// path of the file cache, the only kind gokrb5 reads.
func ccacheFile(name string) (string, error) {
	kind, path, found := strings.Cut(name, ":")
	if !found || len(kind) == 1 { // a plain path, or one that starts with a Windows drive letter
		return name, nil
	}
	if strings.EqualFold(kind, "FILE") {
		return path, nil
	}
	return "", fmt.Errorf("%q is a %s credential cache, which calscan cannot read: make a file cache with `kinit -c FILE:/path/to/ccache` and set ccache to that path",
		name, strings.ToUpper(kind))
}

// loadKrb5Conf reads a krb5.conf. Directives gokrb5 does not support are
// skipped, as the rest of the file is still usable.
func loadKrb5Conf(path string) (*krbconfig.Config, error) {
	conf, err := krbconfig.Load(path)
	var unsupported krbconfig.UnsupportedDirective
	if err != nil && !errors.As(err, &unsupported) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return conf, nil
}

func namesRealm(conf *krbconfig.Config, realm string) bool {
	for _, r := range conf.Realms {
		if strings.EqualFold(r.Realm, realm) && len(r.KDC) > 0 {
			return true
		}
	}
	return false
}

// bindKerberos runs a SASL GSSAPI bind with a ticket for the DC's SPN.
func bindKerberos(conn *ldap.Conn, opts *LDAPOptions) error {
	o := *opts // the defaults are filled on a copy: scans bind concurrently
	if err := settingsError(prepareKerberos(&o, os.LookupEnv)); err != nil {
		return fmt.Errorf("kerberos settings: %w", err)
	}
	login, err := kerberosLogin(&o)
	if err != nil {
		return err
	}
	defer login.client.Destroy()
	if err := conn.GSSAPIBind(&gssapi.Client{Client: login.client}, o.Kerberos.SPN, ""); err != nil {
		if reason, ok := kerberosReason(err.Error(), login.source, o.Kerberos.SPN); ok {
			return fmt.Errorf("kerberos bind as %s to %s: %s: %w", login.principal, o.Kerberos.SPN, reason, err)
		}
		return explainedBindError(login.principal, fmt.Errorf("kerberos bind to %s: %w", o.Kerberos.SPN, err))
	}
	return nil
}

// krbLogin is a Kerberos client holding a TGT.
type krbLogin struct {
	client    *client.Client
	principal string // user@REALM, for messages
	source    string
}

// kerberosLogin gets a TGT from the keytab or password, or takes the one in
// the credential cache.
func kerberosLogin(o *LDAPOptions) (*krbLogin, error) {
	k := &o.Kerberos
	conf, err := loadKrb5Conf(k.Krb5Conf)
	if err != nil {
		return nil, fmt.Errorf("kerberos: %w", err)
	}
	// Active Directory does not offer FAST pre-authentication armouring.
	noFAST := client.DisablePAFXFAST(true)
	login := &krbLogin{source: k.source(o.Password)}
	user, _, _ := splitPrincipal(o.BindDN)

	switch login.source {
	case fromCCache:
		cl, principal, err := loadCCache(k.CCache, o.BindDN, conf, noFAST)
		if err != nil {
			return nil, fmt.Errorf("kerberos: %w", err)
		}
		login.client, login.principal = cl, principal
		return login, nil
	case fromKeytab:
		kt, err := keytab.Load(k.Keytab)
		if err != nil {
			return nil, fmt.Errorf("kerberos: read keytab %s: %w", k.Keytab, err)
		}
		login.client = client.NewWithKeytab(user, k.Realm, kt, conf, noFAST)
	default:
		login.client = client.NewWithPassword(user, k.Realm, o.Password, conf, noFAST)
	}
	login.principal = user + "@" + k.Realm
	if err := login.client.Login(); err != nil {
		login.client.Destroy()
		if reason, ok := kerberosReason(err.Error(), login.source, k.SPN); ok {
			return nil, fmt.Errorf("kerberos login as %s with its %s: %s: %w", login.principal, login.source, reason, err)
		}
		return nil, fmt.Errorf("kerberos login as %s with its %s: %w", login.principal, login.source, err)
	}
	return login, nil
}

// loadCCache makes a client from a file credential cache, checking that it
// holds an unexpired TGT, for bindDN's principal when bindDN is set.
func loadCCache(cacheName, bindDN string, conf *krbconfig.Config, settings ...func(*client.Settings)) (*client.Client, string, error) {
	path, err := ccacheFile(cacheName)
	if err != nil {
		return nil, "", err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, "", fmt.Errorf("no credential cache at %s (run kinit first, or set keytab or password_env): %w", path, err)
	}
	cc, err := credentials.LoadCCache(path)
	if err != nil {
		return nil, "", fmt.Errorf("read credential cache %s: %w", path, err)
	}
	name := cc.DefaultPrincipal.PrincipalName.PrincipalNameString()
	holder := name + "@" + cc.DefaultPrincipal.Realm
	if bindDN != "" {
		user, realm, _ := splitPrincipal(bindDN)
		if !strings.EqualFold(user, name) ||
			(realm != "" && !strings.EqualFold(realm, cc.DefaultPrincipal.Realm)) {
			return nil, "", fmt.Errorf("credential cache %s holds tickets for %s, not bind_dn %s (run kinit as %s, or remove bind_dn)", path, holder, bindDN, bindDN)
		}
	}
	tgt, ok := cc.GetEntry(types.PrincipalName{NameType: nametype.KRB_NT_SRV_INST, NameString: []string{"krbtgt", cc.DefaultPrincipal.Realm}})
	if !ok {
		return nil, "", fmt.Errorf("credential cache %s holds no ticket-granting ticket for %s (run kinit)", path, holder)
	}
	if !tgt.EndTime.IsZero() && time.Now().After(tgt.EndTime) {
		return nil, "", fmt.Errorf("the tickets in credential cache %s expired at %s (run kinit again, or use a keytab, which does not expire)",
			path, tgt.EndTime.UTC().Format(time.RFC3339))
	}
	cl, err := client.NewFromCCache(cc, conf, settings...)
	if err != nil {
		return nil, "", fmt.Errorf("credential cache %s: %w", path, err)
	}
	return cl, holder, nil
}
