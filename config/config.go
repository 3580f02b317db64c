package config

import (
	"time"

	"github.com/calscan/calscan/rules"
	"github.com/calscan/calscan/scanner"
)

// DefaultPath is where the command looks for the configuration.
const DefaultPath = "calscan.toml"

// Config is a validated calscan.toml, ready to use.
type Config struct {
	Path        string // the file it was loaded from
	Directories []Directory
	Policy      rules.Policy
	Report      Report
	Email       Email
	Warnings    []string // valid but risky choices, logged by the command
}

// Directory is one domain to scan: live over LDAP, or offline from an LDIF export.
type Directory struct {
	LDAP scanner.LDAPOptions // Name is always set; the rest only for live scans
	LDIF string              // path of an export; set for offline audits
}

// Name is the directory's name from the config.
func (d Directory) Name() string { return d.LDAP.Name }

// Offline reports whether the directory is read from an LDIF export.
func (d Directory) Offline() bool { return d.LDIF != "" }

// Report says what to write where.
type Report struct {
	OutDir      string
	Formats     []string
	HistoryDir  string
	HistoryKeep int
}

// Email is the validated [email] table; Configured is false when it is absent.
type Email struct {
	Configured bool
	Host       string
	Port       int
	TLS        string // starttls | tls | none
	Username   string
	Password   string
	From       string
	To         []string
	Send       string // always | on-violation | on-change
	Subject    string
	CAFile     string        // PEM bundle to trust for the SMTP server's certificate
	Timeout    time.Duration // connect and send timeout
}

// Defaults for keys left out.
const (
	DefaultStaleAfterDays = 90
	DefaultOutDir         = "reports"
	DefaultHistoryKeep    = 52
	DefaultSubject        = "CAL compliance: {{.Verdict}}"
)

// DefaultFormats are written when [report] formats is not set.
var DefaultFormats = []string{"html", "csv", "json"}

func defaultTimeout() time.Duration { return scanner.DefaultTimeout }
