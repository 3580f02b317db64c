package scanner

import "time"

// Bind methods.
const (
	BindSimple    = "simple"
	BindAnonymous = "anonymous"
	BindKerberos  = "kerberos"
	BindSSPI      = "sspi"
	BindNTLM      = "ntlm"
)

// Default LDAP filters. Overridable per directory.
const (
	DefaultUserFilter     = "(&(objectCategory=person)(objectClass=user))"
	DefaultComputerFilter = "(objectCategory=computer)"
	DefaultGroupFilter    = "(objectCategory=group)"
	DefaultPageSize       = 1000
	DefaultTimeout        = 30 * time.Second
)

// LDAPOptions is one validated [[directory]] block for a live scan.
type LDAPOptions struct {
	Name     string
	URL      string // ldap://host[:port] or ldaps://host[:port]
	BaseDN   string
	Bind     string // BindSimple, BindAnonymous, …
	BindDN   string
	Password string // resolved from password_env / password_file; never logged

	Kerberos KerberosOptions // bind = "kerberos"; its SPN is also used by "sspi"

	StartTLS           bool
	CAFile             string // PEM bundle to trust instead of the system roots
	InsecureSkipVerify bool
	ServerName         string // TLS name to verify; default: the URL's host

	PageSize int
	Timeout  time.Duration // dial, bind and per-request timeout

	UserFilter     string
	ComputerFilter string
	GroupFilter    string
}
