//go:build !windows

package scanner

import (
	"fmt"
	"runtime"

	"github.com/go-ldap/ldap/v3"
)

// SSPISupported reports whether bind = "sspi" (Windows integrated
// authentication) works on this system.
const SSPISupported = false

var errSSPIUnsupported = fmt.Errorf("bind = \"sspi\" works only on Windows; on %s use kerberos with a keytab or ccache", osName())

func prepareSSPI(*LDAPOptions) []SettingError {
	return []SettingError{{Key: "bind", Msg: errSSPIUnsupported.Error()}}
}

func bindSSPI(*ldap.Conn, *LDAPOptions) error { return errSSPIUnsupported }

func osName() string {
	switch runtime.GOOS {
	case "linux":
		return "Linux"
	case "darwin":
		return "macOS"
	}
	return runtime.GOOS
}
