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
	Users       Accounts          `json:"users"`
	Devices     Accounts          `json:"devices"`

	// CoreLicenses is required against owned server core (or processor)
	// licences, per edition and unit (C1–C3); empty when no server has its
	// cores or processors configured and no core licences are owned.
	CoreLicenses []CoreLicenseLine `json:"core_licenses,omitempty"`
	// Mix is the cheapest user/device mix (§5); set for model "mixed" only.
	Mix *Mix `json:"mix,omitempty"`
}

// Counts are the headline numbers.
type Counts struct {
	UsersSeen      int      `json:"users_seen"`
	UsersCounted   int      `json:"users_counted"`
	DevicesSeen    int      `json:"devices_seen"`
	DevicesCounted int      `json:"devices_counted"`
	ServersSeen    int      `json:"servers_seen"`
	Excluded       Excluded `json:"excluded"`

	External        int `json:"external,omitempty"`         // counted users who are external (R4)
	ExternalCovered int `json:"external_covered,omitempty"` // of them, covered by External Connectors on every server they use
	Duplicates      int `json:"duplicates,omitempty"`       // accounts read more than once (same objectSid), counted once
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

	// RaisedBy names the servers that set MinVersion, with their release:
	// "APP01 (Windows Server 2025)".
	RaisedBy []string `json:"raised_by,omitempty"`
	// Per-user RDS CALs a license server recorded on user objects (D4), rds-user only.
	Issued        int `json:"issued,omitempty"`         // still valid
	IssuedExpired int `json:"issued_expired,omitempty"` // past msTSExpireDate
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

	AccessGroup          string  `json:"access_group,omitempty"`           // who uses it; "" everyone
	ExternalConnector    bool    `json:"external_connector,omitempty"`     // external users need no CAL for it (R4)
	RDSExternalConnector bool    `json:"rds_external_connector,omitempty"` // nor an RDS CAL
	RDSLicensing         CALType `json:"rds_licensing,omitempty"`          // RD Session Host: rds-user or rds-device

	Cores                int    `json:"cores,omitempty"`
	Processors           int    `json:"processors,omitempty"`
	VMs                  int    `json:"vms,omitempty"`
	CoreLicensesRequired int    `json:"core_licenses_required,omitempty"` // in CoreLicenseUnit
	CoreLicenseUnit      string `json:"core_license_unit,omitempty"`      // core | processor
	CoreLicenseSets      int    `json:"core_license_sets,omitempty"`      // times all cores are licensed (Standard: 2 VMs each)
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
	// RDS is set for users and devices that need an RDS CAL or hold a
	// per-user RDS CAL issuance. Accounts with the same need and no issuance
	// share one value: treat it as read-only.
	RDS *AccountRDS `json:"rds,omitempty"`
}

// AccountRDS is an account's part in Remote Desktop Services licensing (D1–D4).
type AccountRDS struct {
	CALType    CALType `json:"cal_type,omitempty"`    // rds-user or rds-device, if it needs one
	CALVersion string  `json:"cal_version,omitempty"` // lowest RDS CAL version that covers it (D2)

	// A per-user RDS CAL a license server issued (D4), as recorded on the user.
	IssuedVersion string    `json:"issued_version,omitempty"` // msTSLicenseVersion, as stored
	IssuedExpires time.Time `json:"issued_expires,omitzero"`  // msTSExpireDate
	LicenseServer string    `json:"license_server,omitempty"` // msTSManagingLS
}

// CoreLicenseLine is required against owned server licences for one edition
// and unit (C1–C3), by version as in LICENSING.md §6.
type CoreLicenseLine struct {
	Edition    Edition       `json:"edition"`
	Unit       string        `json:"unit"` // "core" (2016 and later) or "processor" (2012, 2012 R2: one licence per 2 processors)
	Required   int           `json:"required"`
	MinVersion string        `json:"min_version"`
	Owned      int           `json:"owned"`
	Shortfall  int           `json:"shortfall"`
	Surplus    int           `json:"surplus"`
	ByVersion  []VersionLine `json:"by_version"`
	Servers    []string      `json:"servers"` // the servers counted in Required
}

// Mix is the cheapest user/device mix (§5) against licensing everyone one way.
type Mix struct {
	UsageCSV            string `json:"usage_csv,omitempty"`
	Default             Model  `json:"default"`               // mixed_default: the CAL type of accounts without evidence
	Pairs               int    `json:"pairs"`                 // distinct user,device pairs between counted accounts
	PairsIgnored        int    `json:"pairs_ignored"`         // pairs naming an unknown, excluded or server account
	UsersWithEvidence   int    `json:"users_with_evidence"`   // counted users in at least one pair
	DevicesWithEvidence int    `json:"devices_with_evidence"` // counted devices in at least one pair
	UserCALs            int    `json:"user_cals"`             // in the cheapest mix
	DeviceCALs          int    `json:"device_cals"`
	Total               int    `json:"total"`
	AllUser             int    `json:"all_user"`   // CALs if every counted user had a User CAL
	AllDevice           int    `json:"all_device"` // CALs if every counted client device had a Device CAL
	Saving              int    `json:"saving"`     // min(all_user, all_device) − total; negative when one type for all is cheaper
}
