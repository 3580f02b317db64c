package scanner

import (
	"strconv"
	"strings"
	"unicode"
)

// OSFamily is the kind of machine an AD operatingSystem string describes.
type OSFamily uint8

// OS families. OSUnknown means the string was empty or not recognisable.
const (
	OSUnknown       OSFamily = iota
	OSWindowsServer          // Windows Server, including Storage, Web, Essentials and Small Business Server
	OSWindowsClient          // Windows 7, 10, 11, …
	OSHyperVServer           // the free Hyper-V Server product
	OSSamba                  // a Samba domain controller
	OSOther                  // a recognised non-Windows system: macOS, Linux, NetApp, OneFS, …
)

func (f OSFamily) String() string {
	switch f {
	case OSWindowsServer:
		return "windows-server"
	case OSWindowsClient:
		return "windows-client"
	case OSHyperVServer:
		return "hyper-v-server"
	case OSSamba:
		return "samba"
	case OSOther:
		return "other"
	}
	return "unknown"
}

// OSInfo is what calscan understands of a computer's operatingSystem and
// operatingSystemVersion. Release and Edition describe Windows Server (and
// Hyper-V Server) only; they are empty for every other family.
type OSInfo struct {
	Family       OSFamily
	Release      string // "2008", "2008 R2", "2012", "2012 R2", "2016", "2019", "2022", "2025" (also "2000", "2003", "2003 R2"); "" if not known
	Edition      string // lower case: "standard", "datacenter", "enterprise", "essentials", "foundation", "web", "storage", "hyper-v"; "" if none given
	Evaluation   bool
	AzureEdition bool
	Build        int // from operatingSystemVersion "10.0 (20348)"; 0 if absent
}

// ParseOS decodes AD's operatingSystem and operatingSystemVersion. A build
// number alone never makes a machine a server (Windows 10 LTSC 2019 shares
// build 17763 with Windows Server 2019): the build only supplies the release
// when the name already says Windows Server but gives no year.
func ParseOS(operatingSystem, operatingSystemVersion string) OSInfo {
	info := OSInfo{Build: osBuildNumber(operatingSystemVersion)}
	words := osWords(operatingSystem)
	switch {
	case len(words) == 0:
		return info
	case osHasWord(words, "samba"):
		info.Family = OSSamba
		return info
	case osHasRun(words, "hyper", "v", "server"):
		info.Family = OSHyperVServer
	case osHasWord(words, "windows") && osHasWord(words, "server"):
		info.Family = OSWindowsServer
	case osHasWord(words, "windows"):
		if len(words) > 1 { // a bare "Windows" says nothing about what it is
			info.Family = OSWindowsClient
		}
		return info
	case osNamesOtherSystem(words):
		info.Family = OSOther
		return info
	default:
		return info
	}

	info.Release = osReleaseFromName(words)
	if info.Release == "" {
		info.Release = osReleaseFromVersion(info.Build, operatingSystemVersion)
	}
	info.Edition = osEdition(words, info.Family)
	info.Evaluation = osHasPrefix(words, "eval", "éval")
	info.AzureEdition = osHasWord(words, "azure")
	return info
}

// osWords lower-cases s and splits it into runs of letters and digits, so
// "Windows Server® 2008 Standard-Edition (Französisch)" becomes
// [windows server 2008 standard edition französisch].
func osWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func osHasWord(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

func osHasPrefix(words []string, prefixes ...string) bool {
	for _, x := range words {
		for _, p := range prefixes {
			if strings.HasPrefix(x, p) {
				return true
			}
		}
	}
	return false
}

// osHasRun reports whether run appears as consecutive words.
func osHasRun(words []string, run ...string) bool {
	for i := 0; i+len(run) <= len(words); i++ {
		match := true
		for j, w := range run {
			if words[i+j] != w {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// osOtherSystems are words that name a non-Windows operating system.
var osOtherSystems = map[string]bool{
	"mac": true, "macos": true, "osx": true, "darwin": true,
	"linux": true, "ubuntu": true, "debian": true, "centos": true, "fedora": true,
	"rhel": true, "suse": true, "sles": true, "opensuse": true, "rocky": true, "almalinux": true,
	"freebsd": true, "openbsd": true, "netbsd": true, "unix": true, "solaris": true,
	"sunos": true, "aix": true, "netapp": true, "ontap": true, "onefs": true,
	"isilon": true, "vmware": true, "esxi": true, "synology": true, "qnap": true,
	"truenas": true, "freenas": true, "android": true, "ios": true, "ipados": true,
	"chromeos": true, "nutanix": true,
}

func osNamesOtherSystem(words []string) bool {
	for _, w := range words {
		if osOtherSystems[w] {
			return true
		}
	}
	return osHasRun(words, "red", "hat") || osHasRun(words, "os", "x") ||
		osHasRun(words, "hp", "ux") || osHasRun(words, "chrome", "os")
}

// osReleaseFromName finds the release year (and R2) in the name. Small
// Business, Home and MultiPoint Server 2011 are built on 2008 R2.
func osReleaseFromName(words []string) string {
	for i, w := range words {
		year, r2 := strings.CutSuffix(w, "r2") // "2012r2"
		if !r2 && i+1 < len(words) && words[i+1] == "r2" {
			r2 = true
		}
		switch year {
		case "2011":
			return "2008 R2"
		case "2003", "2008", "2012":
			if r2 {
				return year + " R2"
			}
			return year
		case "2000", "2016", "2019", "2022", "2025":
			return year
		}
	}
	return ""
}

// osReleaseFromVersion maps the build (or, without one, the kernel version)
// of operatingSystemVersion to a Windows Server release. Builds between the
// long-term releases are Semi-Annual Channel servers, licensed like the
// release before them.
func osReleaseFromVersion(build int, version string) string {
	switch {
	case build >= 26100:
		return "2025"
	case build >= 20348:
		return "2022"
	case build >= 17763:
		return "2019"
	case build >= 10000:
		return "2016"
	case build >= 9600:
		return "2012 R2"
	case build >= 9200:
		return "2012"
	case build >= 7600:
		return "2008 R2"
	case build >= 6000:
		return "2008"
	case build >= 3790:
		return "2003"
	case build >= 2195:
		return "2000"
	case build > 0:
		return ""
	}
	kernel, _, _ := strings.Cut(strings.TrimSpace(version), " ")
	switch kernel {
	case "6.3":
		return "2012 R2"
	case "6.2":
		return "2012"
	case "6.1":
		return "2008 R2"
	case "6.0":
		return "2008"
	case "5.2":
		return "2003"
	case "5.0":
		return "2000"
	}
	return "" // "10.0" alone is 2016, 2019, 2022 or 2025
}

// osBuildNumber reads the build in parentheses: "10.0 (20348)" -> 20348.
func osBuildNumber(version string) int {
	_, rest, ok := strings.Cut(version, "(")
	if !ok {
		return 0
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end >= 0 {
		rest = rest[:end]
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return 0
	}
	return n
}

// osEdition names the edition. Storage and Web Server say "Standard" or
// "Essentials" too, so their product name wins over the edition word.
func osEdition(words []string, family OSFamily) string {
	switch {
	case family == OSHyperVServer:
		return "hyper-v"
	case osHasWord(words, "storage"):
		return "storage"
	case osHasWord(words, "web"):
		return "web"
	}
	for _, w := range words {
		switch w {
		case "datacenter", "datacentre":
			return "datacenter"
		case "standard", "enterprise", "essentials", "foundation":
			return w
		}
	}
	if osHasRun(words, "small", "business") { // SBS 2008 Premium, SBS 2011: sold with CALs
		return "standard"
	}
	return ""
}
