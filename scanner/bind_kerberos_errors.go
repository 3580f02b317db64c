package scanner

import (
	"fmt"
	"strings"
)

// kerberosReasons map what gokrb5 reports (its errors are text, with the
// RFC 4120 error names in them) to what an administrator should check.
// The first match wins, so the more specific texts come first.
var kerberosReasons = []struct {
	match  []string
	reason func(source, spn string) string
}{
	{[]string{"KRB_AP_ERR_SKEW"}, func(string, string) string {
		return "clock skew: this machine's clock and the domain controller's differ by more than 5 minutes (sync both with NTP)"
	}},
	{[]string{"KDC_ERR_C_PRINCIPAL_UNKNOWN"}, func(string, string) string {
		return "principal unknown: the KDC has no such account in this realm (check bind_dn and realm)"
	}},
	{[]string{"KDC_ERR_S_PRINCIPAL_UNKNOWN"}, func(_, spn string) string {
		return fmt.Sprintf("SPN unknown: no account has the service principal name %s (set spn to one the DC has, e.g. ldap/<its DNS name>; `setspn -L <DC name>` lists them)", spn)
	}},
	{[]string{"KDC_ERR_PREAUTH_FAILED", "KRB_AP_ERR_BAD_INTEGRITY"}, func(source, _ string) string {
		if source == fromKeytab {
			return "wrong keytab: its key does not match the account's (export the keytab again after every password change)"
		}
		return "wrong password"
	}},
	{[]string{"KDC_ERR_CLIENT_REVOKED"}, func(string, string) string {
		return "the account is disabled, locked out or expired"
	}},
	{[]string{"KDC_ERR_KEY_EXPIRED"}, func(string, string) string {
		return "the account's password has expired"
	}},
	{[]string{"KRB_AP_ERR_TKT_EXPIRED"}, func(string, string) string {
		return "the Kerberos ticket has expired (run kinit again, or use a keytab)"
	}},
	{[]string{"KDC_ERR_ETYPE_NOSUPP"}, func(string, string) string {
		return "no encryption type in common with the KDC (make the keytab with AES keys, e.g. ktpass /crypto AES256-SHA1)"
	}},
	{[]string{"KRB_AP_ERR_MODIFIED"}, func(_, spn string) string {
		return fmt.Sprintf("the domain controller could not decrypt the ticket: %s belongs to another account (a duplicate SPN?)", spn)
	}},
	{[]string{"failed to communicate with KDC", "error sending to a KDC", "communication error with KDC", "no KDCs defined"}, func(string, string) string {
		return "KDC unreachable: no KDC of the realm answered on port 88 (check kdc under [realms] in krb5_conf, DNS, and that port 88 is open)"
	}},
}

// kerberosReason explains a Kerberos failure; ok is false when the text
// names none of the failures above.
func kerberosReason(msg, source, spn string) (reason string, ok bool) {
	for _, r := range kerberosReasons {
		for _, m := range r.match {
			if strings.Contains(msg, m) {
				return r.reason(source, spn), true
			}
		}
	}
	return "", false
}
