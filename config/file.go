// Package config loads and validates calscan.toml. It has two types: the file
// as written (File, with the fixed snake_case keys of the contract) and the
// validated runtime value (Config) that the command hands to the scanner,
// the rules and the reports.
package config

// File mirrors calscan.toml key for key. Pointers tell "absent" from zero.
type File struct {
	Directories  []DirectoryFile   `toml:"directory"`
	Scope        ScopeFile         `toml:"scope"`
	Licensing    LicensingFile     `toml:"licensing"`
	Servers      []ServerFile      `toml:"server"`
	CALs         []CALFile         `toml:"cal"`
	CoreLicenses []CoreLicenseFile `toml:"core_licenses"`
	Report       ReportFile        `toml:"report"`
	Email        EmailFile         `toml:"email"`
}

// DirectoryFile is one [[directory]] block.
type DirectoryFile struct {
	Name               string `toml:"name"`
	URL                string `toml:"url"`
	LDIF               string `toml:"ldif"`
	BaseDN             string `toml:"base_dn"`
	Bind               string `toml:"bind"`
	BindDN             string `toml:"bind_dn"`
	PasswordEnv        string `toml:"password_env"`
	PasswordFile       string `toml:"password_file"`
	Keytab             string `toml:"keytab"`
	CCache             string `toml:"ccache"`
	Krb5Conf           string `toml:"krb5_conf"`
	Realm              string `toml:"realm"`
	SPN                string `toml:"spn"`
	StartTLS           bool   `toml:"start_tls"`
	CAFile             string `toml:"ca_file"`
	InsecureSkipVerify bool   `toml:"insecure_skip_verify"`
	ServerName         string `toml:"server_name"`
	PageSize           *int   `toml:"page_size"`
	Timeout            string `toml:"timeout"`
	UserFilter         string `toml:"user_filter"`
	ComputerFilter     string `toml:"computer_filter"`
	GroupFilter        string `toml:"group_filter"`
}

// ScopeFile is the [scope] table.
type ScopeFile struct {
	StaleAfterDays  *int     `toml:"stale_after_days"`
	ExcludeAccounts []string `toml:"exclude_accounts"`
	ExcludeOUs      []string `toml:"exclude_ous"`
	IncludeGroups   []string `toml:"include_groups"`
	AdminExempt     []string `toml:"admin_exempt"`
	ExternalOUs     []string `toml:"external_ous"`
	ExternalGroups  []string `toml:"external_groups"`
}

// LicensingFile is the [licensing] table.
type LicensingFile struct {
	Model        string `toml:"model"`
	UsageCSV     string `toml:"usage_csv"`
	MixedDefault string `toml:"mixed_default"`
}

// ServerFile is one [[server]] block.
type ServerFile struct {
	Name              string `toml:"name"`
	Edition           string `toml:"edition"`
	Version           string `toml:"version"`
	Cores             int    `toml:"cores"`
	Processors        int    `toml:"processors"`
	RDS               bool   `toml:"rds"`
	AccessGroup       string `toml:"access_group"`
	VMs               int    `toml:"vms"`
	ExternalConnector bool   `toml:"external_connector"`

	RDSLicensing         string `toml:"rds_licensing"`
	RDSExternalConnector bool   `toml:"rds_external_connector"`
}

// CALFile is one [[cal]] block.
type CALFile struct {
	Type      string `toml:"type"`
	Version   string `toml:"version"`
	Quantity  *int   `toml:"quantity"`
	Reference string `toml:"reference"`
}

// CoreLicenseFile is one [[core_licenses]] block.
type CoreLicenseFile struct {
	Edition  string `toml:"edition"`
	Version  string `toml:"version"`
	Quantity *int   `toml:"quantity"`
}

// ReportFile is the [report] table.
type ReportFile struct {
	OutDir      string   `toml:"out_dir"`
	Formats     []string `toml:"formats"`
	HistoryDir  string   `toml:"history_dir"`
	HistoryKeep *int     `toml:"history_keep"`
}

// EmailFile is the [email] table.
type EmailFile struct {
	SMTPHost     string   `toml:"smtp_host"`
	SMTPPort     int      `toml:"smtp_port"`
	TLS          string   `toml:"tls"`
	Username     string   `toml:"username"`
	PasswordEnv  string   `toml:"password_env"`
	PasswordFile string   `toml:"password_file"`
	From         string   `toml:"from"`
	To           []string `toml:"to"`
	Send         string   `toml:"send"`
	Subject      string   `toml:"subject"`
	CAFile       string   `toml:"ca_file"`
	Timeout      string   `toml:"timeout"`
}
