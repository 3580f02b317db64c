// Package scanner reads accounts from Active Directory (over LDAP) or from an
// LDIF export, and decodes AD's encodings. It knows nothing of licensing.
package scanner

import "time"

// Kind says what a directory object is.
type Kind uint8

// The kinds of object a Source emits.
const (
	KindUser Kind = iota + 1
	KindComputer
	KindGroup
)

func (k Kind) String() string {
	switch k {
	case KindUser:
		return "user"
	case KindComputer:
		return "computer"
	case KindGroup:
		return "group"
	}
	return "unknown"
}

// Object is one user, computer or group, decoded from the directory.
// Times are UTC; a zero time means "never" (or "not set").
type Object struct {
	Kind   Kind
	Domain string // name of the [[directory]] it was read from

	DN                string
	SID               string // S-1-5-21-…; empty if the directory gave none
	SAMAccountName    string // computers keep their trailing "$"
	UserPrincipalName string
	DisplayName       string

	UserAccountControl uint32
	PrimaryGroupID     uint32    // RID of the primary group (users, computers)
	LastLogon          time.Time // lastLogonTimestamp (replicated, lags up to 14 days)
	AccountExpires     time.Time
	WhenCreated        time.Time
	MemberOf           []string // DNs of direct groups (primary group not included)

	// Computers.
	DNSHostName            string
	OperatingSystem        string
	OperatingSystemVersion string

	// Remote Desktop per-user CAL issuance (users; LICENSING.md D4).
	TSLicenseVersion string
	TSExpireDate     time.Time
	TSManagingLS     string
}

// userAccountControl flags calscan reads (MS-ADTS 2.2.16).
const (
	UACAccountDisable        = 0x0002
	UACNormalAccount         = 0x0200
	UACInterdomainTrust      = 0x0800
	UACWorkstationTrust      = 0x1000
	UACServerTrust           = 0x2000 // a domain controller
	UACDontExpirePassword    = 0x10000
	UACPartialSecretsAccount = 0x04000000 // a read-only domain controller
)

// Disabled reports whether the account is disabled.
func (o *Object) Disabled() bool { return o.UserAccountControl&UACAccountDisable != 0 }

// DomainController reports whether a computer account is a (read-only) domain controller.
func (o *Object) DomainController() bool {
	return o.UserAccountControl&(UACServerTrust|UACPartialSecretsAccount) != 0
}

// Name is the account name without a computer's trailing "$".
func (o *Object) Name() string {
	n := o.SAMAccountName
	if o.Kind == KindComputer && len(n) > 0 && n[len(n)-1] == '$' {
		return n[:len(n)-1]
	}
	return n
}
