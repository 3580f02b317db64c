package rules

import "time"

// Result is the outcome of applying the rules to one scan. It is what every
// report renders; its JSON form is the body of report.json (schema_version 1).
type Result struct {
	Compliant   bool              `json:"compliant"`
	Model       Model             `json:"model"`
	Counts      Counts            `json:"counts"`
	CALs        []CALLine         `json:"cals"`
	Servers     []Server          `json:"servers"`
	Findings    []Finding         `json:"findings"`
	Directories []DirectoryCounts `json:"directories"`
	Users       []Account         `json:"users"`
	Devices     []Account         `json:"devices"`
}

// Counts are the headline numbers.
type Counts struct {
	UsersSeen      int      `json:"users_seen"`
	UsersCounted   int      `json:"users_counted"`
	DevicesSeen    int      `json:"devices_seen"`
	DevicesCounted int      `json:"devices_counted"`
	ServersSeen    int      `json:"servers_seen"`
	Excluded       Excluded `json:"excluded"`
}

// Excluded counts users and client devices left out, by reason.
type Excluded struct {
	Disabled        int `json:"disabled"`
	Stale           int `json:"stale"`
	Expired         int `json:"expired"`
	ExcludedAccount int `json:"excluded_account"`
	ExcludedOU      int `json:"excluded_ou"`
	AdminExempt     int `json:"admin_exempt"`
	NotInScopeGroup int `json:"not_in_scope_group"`
	Builtin         int `json:"builtin"`
}

// Reason says why an account is not counted. Empty: it is counted.
type Reason string

// Exclusion reasons, in the order they are checked. The strings are the keys
// of counts.excluded in report.json.
const (
	ReasonNone            Reason = ""
	ReasonBuiltin         Reason = "builtin"
	ReasonDisabled        Reason = "disabled"
	ReasonExpired         Reason = "expired"
	ReasonExcludedAccount Reason = "excluded_account"
	ReasonExcludedOU      Reason = "excluded_ou"
	ReasonNotInScopeGroup Reason = "not_in_scope_group"
	ReasonAdminExempt     Reason = "admin_exempt"
	ReasonStale           Reason = "stale"
)

// Reclaimable reports whether an account excluded for this reason holds a CAL
// that can be reassigned (A2).
func (r Reason) Reclaimable() bool {
	return r == ReasonDisabled || r == ReasonExpired || r == ReasonStale
}

// CALLine is required against owned for one CAL type.
type CALLine struct {
	Type       CALType       `json:"type"`
	Required   int           `json:"required"`
	MinVersion string        `json:"min_version"` // "" when nothing is required
	Owned      int           `json:"owned"`
	Shortfall  int           `json:"shortfall"`
	Surplus    int           `json:"surplus"`
	ByVersion  []VersionLine `json:"by_version"`
}

// VersionLine is required against owned at one CAL version.
type VersionLine struct {
	Version  string `json:"version"`
	Required int    `json:"required"`
	Owned    int    `json:"owned"`
}

// Server is a Windows (or other) server seen in the directory or configured.
type Server struct {
	Name                   string  `json:"name"`
	Domain                 string  `json:"domain,omitempty"`
	DNSName                string  `json:"dns_name"`
	OperatingSystem        string  `json:"operating_system"`
	OperatingSystemVersion string  `json:"operating_system_version,omitempty"`
	Edition                Edition `json:"edition"`
	Version                string  `json:"version"`     // release, e.g. "2012 R2"; "" if unknown
	CALVersion             string  `json:"cal_version"` // CAL version it requires (V2), "" if none
	DomainController       bool    `json:"domain_controller"`
	NeedsCALs              bool    `json:"needs_cals"`
	Excluded               Reason  `json:"excluded,omitempty"` // disabled, stale, … (does not raise the version)
	Source                 string  `json:"source"`             // directory | config | directory+config
	RDS                    bool    `json:"rds,omitempty"`
	Note                   string  `json:"note,omitempty"`
}

// Severity of a finding.
type Severity string

// Severities, from most to least severe.
const (
	SeverityViolation Severity = "violation"
	SeverityWarning   Severity = "warning"
	SeverityInfo      Severity = "info"
)

// Finding is one thing an admin should know or do.
type Finding struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule,omitempty"` // LICENSING.md id, e.g. "R8"
	Message  string   `json:"message"`
	Action   string   `json:"action,omitempty"` // what to do about it
	Subjects []string `json:"subjects"`
}

// DirectoryCounts are the counts for one scanned domain.
type DirectoryCounts struct {
	Name                    string `json:"name"`
	Source                  string `json:"source"`
	UsersSeen               int    `json:"users_seen"`
	UsersCounted            int    `json:"users_counted"`
	DevicesSeen             int    `json:"devices_seen"`
	DevicesCounted          int    `json:"devices_counted"`
	ServersSeen             int    `json:"servers_seen"`
	TLSVerificationDisabled bool   `json:"tls_verification_disabled,omitempty"`
}

// Account is one user or client device and what calscan decided about it.
type Account struct {
	Domain          string    `json:"domain"`
	Name            string    `json:"name"` // sAMAccountName (computers without "$")
	DisplayName     string    `json:"display_name,omitempty"`
	UPN             string    `json:"upn,omitempty"`      // users
	DNSName         string    `json:"dns_name,omitempty"` // devices
	OperatingSystem string    `json:"operating_system,omitempty"`
	DN              string    `json:"dn"`
	SID             string    `json:"sid,omitempty"`
	LastLogon       time.Time `json:"last_logon,omitzero"`
	Created         time.Time `json:"created,omitzero"`
	Counted         bool      `json:"counted"`
	Excluded        Reason    `json:"excluded,omitempty"`
	CALType         CALType   `json:"cal_type,omitempty"`    // the CAL it needs, if counted
	CALVersion      string    `json:"cal_version,omitempty"` // lowest CAL version that covers it
	External        bool      `json:"external,omitempty"`
}
