package scanner

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/go-ldap/ldap/v3"
)

// errEmptyPassword stops a simple bind that would go out without a password:
// LDAP treats that as an unauthenticated bind (RFC 4513 5.1.2), which many
// servers accept, so the scan would run with anonymous rights and look empty.
var errEmptyPassword = errors.New("simple bind with an empty password refused: it would be an unauthenticated bind " +
	"(set password_env or password_file, or use bind = \"anonymous\")")

// bind authenticates conn as opts says. Errors never contain the password.
func bind(conn *ldap.Conn, opts *LDAPOptions) error {
	switch strings.ToLower(opts.Bind) {
	case BindSimple, "":
		return bindSimple(conn, opts)
	case BindAnonymous:
		if err := conn.UnauthenticatedBind(""); err != nil {
			return explainedBindError("anonymous", err)
		}
		return nil
	case BindKerberos:
		return bindKerberos(conn, opts)
	case BindNTLM:
		return bindNTLM(conn, opts)
	case BindSSPI:
		return bindSSPI(conn, opts)
	default:
		return fmt.Errorf("unknown bind method %q", opts.Bind)
	}
}

func bindSimple(conn *ldap.Conn, opts *LDAPOptions) error {
	if opts.BindDN == "" {
		return errors.New("simple bind needs bind_dn")
	}
	if opts.Password == "" {
		return errEmptyPassword
	}
	if _, err := conn.SimpleBind(ldap.NewSimpleBindRequest(opts.BindDN, opts.Password, nil)); err != nil {
		return explainedBindError(opts.BindDN, err)
	}
	return nil
}

// SettingError is a [[directory]] setting that cannot work, named by its
// config key ("bind_dn", "keytab", …) so that the config loader can point at it.
type SettingError struct {
	Key string
	Msg string
}

func (e SettingError) Error() string { return e.Key + ": " + e.Msg }

// PrepareBind fills in the defaults of opts' bind method (for Kerberos:
// krb5.conf, credential cache, realm and SPN, read with lookupEnv) and
// reports, by config key, the settings that cannot work. It contacts
// nothing. The config loader calls it; a bind repeats it on a copy, so
// options built in code get the same defaults.
func PrepareBind(opts *LDAPOptions, lookupEnv func(string) (string, bool)) []SettingError {
	switch strings.ToLower(opts.Bind) {
	case BindKerberos:
		return prepareKerberos(opts, lookupEnv)
	case BindNTLM:
		return prepareNTLM(opts)
	case BindSSPI:
		return prepareSSPI(opts)
	}
	return nil
}

// settingsError joins what PrepareBind found into one error, or nil.
func settingsError(problems []SettingError) error {
	errs := make([]error, len(problems))
	for i, p := range problems {
		errs[i] = p
	}
	return errors.Join(errs...)
}

// splitAccount reads a Windows account name written DOMAIN\user or
// user@domain; ok is false for anything else (a DN, a bare name).
func splitAccount(name string) (domain, user string, ok bool) {
	if d, u, found := strings.Cut(name, `\`); found {
		return d, u, d != "" && u != "" && !strings.ContainsAny(u, `\@`)
	}
	if u, d, found := strings.Cut(name, "@"); found {
		return d, u, d != "" && u != "" && !strings.ContainsAny(d, "@=,")
	}
	return "", "", false
}

// explainedBindError wraps a bind failure with AD's reason, keeping the LDAP
// error reachable (ldap.IsErrorWithCode still works on the result).
func explainedBindError(who string, err error) error {
	// Quoted by hand: %q would double the backslash of DOMAIN\user.
	if reason, ok := bindReason(err); ok {
		return fmt.Errorf(`bind as "%s": %s: %w`, who, reason, err)
	}
	return fmt.Errorf(`bind as "%s": %w`, who, err)
}

// ExplainBindError says in plain words why a bind failed, reading AD's
// "data XXX" sub-code from the diagnostic message, e.g.
// "invalid credentials (AD data 52e: wrong password)". Errors it does not
// recognise are returned as their own text; nil gives "".
func ExplainBindError(err error) string {
	if err == nil {
		return ""
	}
	if reason, ok := bindReason(err); ok {
		return reason
	}
	return err.Error()
}

// adBindDataCodes are the sub-codes AD puts in the diagnostic of an
// invalidCredentials (49) answer: "…AcceptSecurityContext error, data 52e, v4563".
var adBindDataCodes = map[string]string{
	"525": "user not found",
	"52e": "wrong password",
	"530": "logon not permitted at this time",
	"531": "logon not permitted from this workstation",
	"532": "password expired",
	"533": "account disabled",
	"701": "account expired",
	"773": "user must reset password",
	"775": "account locked out",
}

var adDataCode = regexp.MustCompile(`(?i)\bdata ([0-9a-f]{3,8})\b`)

func bindReason(err error) (string, bool) {
	var lerr *ldap.Error
	if !errors.As(err, &lerr) {
		return "", false
	}
	switch lerr.ResultCode {
	case ldap.LDAPResultStrongAuthRequired, ldap.LDAPResultConfidentialityRequired:
		return "strong(er) authentication required: the DC requires signing/TLS: use ldaps:// or start_tls = true", true
	case ldap.LDAPResultInvalidCredentials:
		diagnostic := ""
		if lerr.Err != nil {
			diagnostic = lerr.Err.Error()
		}
		m := adDataCode.FindStringSubmatch(diagnostic)
		if m == nil {
			return "invalid credentials", true
		}
		code := strings.ToLower(m[1])
		if reason, ok := adBindDataCodes[code]; ok {
			return fmt.Sprintf("invalid credentials (AD data %s: %s)", code, reason), true
		}
		return fmt.Sprintf("invalid credentials (AD data %s)", code), true
	}
	return "", false
}
