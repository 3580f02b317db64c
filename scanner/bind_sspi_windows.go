//go:build windows

package scanner

import (
	"fmt"

	"github.com/go-ldap/ldap/v3"
	"github.com/go-ldap/ldap/v3/gssapi"
)

// SSPISupported reports whether bind = "sspi" (Windows integrated
// authentication) works on this system.
const SSPISupported = true

// prepareSSPI checks the optional explicit account: without a password the
// bind is as the logged-on user (or the service's account), and bind_dn
// would be misleading.
func prepareSSPI(o *LDAPOptions) []SettingError {
	var problems []SettingError
	switch {
	case o.Password == "" && o.BindDN != "":
		problems = append(problems, SettingError{Key: "bind_dn", Msg: "bind = \"sspi\" binds as the logged-on account: remove bind_dn, or give its password (password_env or password_file) to bind as another account"})
	case o.Password != "":
		if _, _, ok := splitAccount(o.BindDN); !ok {
			problems = append(problems, SettingError{Key: "bind_dn", Msg: fmt.Sprintf("\"%s\" is not a Windows account name: write it as DOMAIN\\user or user@domain", o.BindDN)})
		}
	}
	if o.Kerberos.SPN == "" {
		if ep, err := parseEndpoint(o.URL); err == nil {
			o.Kerberos.SPN = "ldap/" + ep.host
		}
	}
	return problems
}

// bindSSPI runs a SASL GSSAPI bind through Windows' own Kerberos (SSPI):
// as the logged-on account, or as bind_dn when a password is given.
func bindSSPI(conn *ldap.Conn, opts *LDAPOptions) error {
	o := *opts
	if err := settingsError(prepareSSPI(&o)); err != nil {
		return err
	}
	var (
		sspi *gssapi.SSPIClient
		err  error
		who  = "the logged-on account"
	)
	if o.Password != "" {
		domain, user, _ := splitAccount(o.BindDN)
		who = o.BindDN
		sspi, err = gssapi.NewSSPIClientWithUserCredentials(domain, user, o.Password)
	} else {
		sspi, err = gssapi.NewSSPIClient()
	}
	if err != nil {
		return fmt.Errorf("windows integrated authentication as %s: %w", who, err)
	}
	defer func() { _ = sspi.Close() }()
	if err := conn.GSSAPIBind(sspi, o.Kerberos.SPN, ""); err != nil {
		return explainedBindError(who, fmt.Errorf("windows integrated authentication to %s: %w", o.Kerberos.SPN, err))
	}
	return nil
}
