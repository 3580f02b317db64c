// Package rules applies Windows Server licensing rules (../LICENSING.md ids in
// comments and tests) to the accounts a scanner read. It knows nothing of LDAP
// or of how results are rendered.
package rules

import "time"

// Model is how client access is licensed.
type Model string

// Licensing models.
const (
	ModelUser   Model = "user"
	ModelDevice Model = "device"
	ModelMixed  Model = "mixed"
)

// Policy is the validated licensing and scope configuration.
type Policy struct {
	Model        Model
	MixedDefault Model  // for ModelMixed: users/devices without usage evidence
	UsageCSV     string // for ModelMixed: path of user,device pairs
	Usage        *Usage // usage_csv as loaded by LoadUsage; nil: no usage evidence

	StaleAfter      time.Duration // enabled accounts inactive this long are reclaimable (A2, A3)
	ExcludeAccounts []string      // sAMAccountName globs, case-insensitive
	ExcludeOUs      []string      // DNs; the subtree is excluded
	IncludeGroups   []string      // DNs; if set, only (nested) members count
	AdminExempt     []string      // sAMAccountNames (R5)
	ExternalOUs     []string
	ExternalGroups  []string

	Servers      []ServerConfig
	CALs         []OwnedCAL
	CoreLicenses []OwnedCoreLicense

	Directories []DirectoryInfo
}

// DirectoryInfo is what the rules need to know about a scanned directory.
type DirectoryInfo struct {
	Name                    string
	Source                  string // URL or LDIF path, for the report
	TLSVerificationDisabled bool
}

// ServerConfig is a [[server]] block: adds a server or overrides what the
// directory says about one (matched by name, case-insensitive).
type ServerConfig struct {
	Name              string
	Edition           Edition // empty: keep what the directory says
	Release           string  // "2022", "2012 R2", …; empty: keep what the directory says
	Cores             int
	Processors        int
	RDS               bool
	AccessGroup       string
	VMs               int
	ExternalConnector bool

	RDSLicensing         CALType // CALRDSUser or CALRDSDevice; empty: decided from the owned RDS CALs
	RDSExternalConnector bool    // an RDS External Connector covers its external users' RDS access
}

// OwnedCAL is a [[cal]] block.
type OwnedCAL struct {
	Type      CALType
	Version   string // "2008" … "2025", or "sa"
	Quantity  int
	Reference string
}

// OwnedCoreLicense is a [[core_licenses]] block.
type OwnedCoreLicense struct {
	Edition  Edition
	Version  string
	Quantity int
}

// CALType is a kind of Client Access License.
type CALType string

// CAL types.
const (
	CALUser      CALType = "user"
	CALDevice    CALType = "device"
	CALRDSUser   CALType = "rds-user"
	CALRDSDevice CALType = "rds-device"
)

// Edition is a Windows Server edition as far as licensing cares.
type Edition string

// Editions.
const (
	EditionStandard   Edition = "standard"
	EditionDatacenter Edition = "datacenter"
	EditionEnterprise Edition = "enterprise" // 2008 / 2008 R2, sold with CALs
	EditionStorage    Edition = "storage"    // Windows Storage Server
	EditionWeb        Edition = "web"        // Windows Web Server: public web workloads, no CALs
	EditionEssentials Edition = "essentials"
	EditionFoundation Edition = "foundation"
	EditionHyperV     Edition = "hyper-v"
	EditionNone       Edition = "none" // needs no Windows Server CAL (not Windows, or not licensed per CAL)
)
