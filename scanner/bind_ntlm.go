package scanner

import (
	"errors"
	"fmt"

	"github.com/go-ldap/ldap/v3"
)

func prepareNTLM(o *LDAPOptions) []SettingError {
	if o.BindDN == "" {
		return []SettingError{{Key: "bind_dn", Msg: "missing: the account to bind as, DOMAIN\\user or user@domain (a plain domain user is enough)"}}
	}
	if _, _, ok := splitAccount(o.BindDN); !ok {
		return []SettingError{{Key: "bind_dn", Msg: fmt.Sprintf(
			"\"%s\" is not a Windows account name: for bind = \"ntlm\" write it as DOMAIN\\user or user@domain", o.BindDN)}}
	}
	return nil
}

// bindNTLM runs Microsoft's NTLM bind (the "Sicily" negotiate/response
// exchange of MS-ADTS 5.1.1.1.3) with NTLMv2. The account's domain travels
// in the name itself, as DOMAIN\user or user@domain.
func bindNTLM(conn *ldap.Conn, opts *LDAPOptions) error {
	if err := settingsError(prepareNTLM(opts)); err != nil {
		return err
	}
	if opts.Password == "" {
		return errors.New("ntlm bind needs a password (password_env or password_file)")
	}
	err := conn.NTLMBind("", opts.BindDN, opts.Password)
	if err == nil {
		return nil
	}
	if conn.IsClosing() {
		// A server that does not know the bind method cannot decode the
		// request and drops the connection instead of answering.
		return fmt.Errorf("ntlm bind as \"%s\": the server closed the connection: it does not offer Microsoft's NTLM (Sicily) bind "+
			"(Samba AD DCs do not): use bind = \"kerberos\", or \"simple\" over ldaps:// or start_tls: %w", opts.BindDN, err)
	}
	return explainedBindError(opts.BindDN, fmt.Errorf("ntlm bind: %w", err))
}
