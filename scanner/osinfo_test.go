package scanner

import "testing"

func TestParseOS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		os, ver string
		want    OSInfo
	}{
		{"§2 2019 standard", "Windows Server 2019 Standard", "10.0 (17763)",
			OSInfo{Family: OSWindowsServer, Release: "2019", Edition: "standard", Build: 17763}},
		{"§2 2012 R2 datacenter", "Windows Server 2012 R2 Datacenter", "6.3 (9600)",
			OSInfo{Family: OSWindowsServer, Release: "2012 R2", Edition: "datacenter", Build: 9600}},
		{"§2 2008 enterprise with registered sign", "Windows Server® 2008 Enterprise", "6.0 (6002)",
			OSInfo{Family: OSWindowsServer, Release: "2008", Edition: "enterprise", Build: 6002}},
		{"§2 2008 standard without Hyper-V is not Hyper-V Server", "Windows Server® 2008 Standard without Hyper-V", "6.0 (6001)",
			OSInfo{Family: OSWindowsServer, Release: "2008", Edition: "standard", Build: 6001}},
		{"§2 2016 standard evaluation", "Windows Server 2016 Standard Evaluation", "10.0 (14393)",
			OSInfo{Family: OSWindowsServer, Release: "2016", Edition: "standard", Evaluation: true, Build: 14393}},
		{"§2 2022 datacenter azure edition", "Windows Server 2022 Datacenter: Azure Edition", "10.0 (20348)",
			OSInfo{Family: OSWindowsServer, Release: "2022", Edition: "datacenter", AzureEdition: true, Build: 20348}},
		{"§2 2025 datacenter", "Windows Server 2025 Datacenter", "10.0 (26100)",
			OSInfo{Family: OSWindowsServer, Release: "2025", Edition: "datacenter", Build: 26100}},
		{"§2 2012 R2 essentials", "Windows Server 2012 R2 Essentials", "6.3 (9600)",
			OSInfo{Family: OSWindowsServer, Release: "2012 R2", Edition: "essentials", Build: 9600}},
		{"§2 2012 foundation", "Windows Server 2012 Foundation", "6.2 (9200)",
			OSInfo{Family: OSWindowsServer, Release: "2012", Edition: "foundation", Build: 9200}},
		{"§2 SBS 2011 standard is 2008 R2 standard", "Windows Small Business Server 2011 Standard", "6.1 (7601)",
			OSInfo{Family: OSWindowsServer, Release: "2008 R2", Edition: "standard", Build: 7601}},
		{"§2 SBS 2011 essentials", "Windows Small Business Server 2011 Essentials", "6.1 (7601)",
			OSInfo{Family: OSWindowsServer, Release: "2008 R2", Edition: "essentials", Build: 7601}},
		{"§2 SBS 2008 premium sold with CALs", "Windows Small Business Server 2008 Premium", "6.0 (6002)",
			OSInfo{Family: OSWindowsServer, Release: "2008", Edition: "standard", Build: 6002}},
		{"§2 web server 2008 R2", "Windows Web Server 2008 R2", "6.1 (7600)",
			OSInfo{Family: OSWindowsServer, Release: "2008 R2", Edition: "web", Build: 7600}},
		{"§2 storage server 2016 standard is storage", "Windows Storage Server 2016 Standard", "10.0 (14393)",
			OSInfo{Family: OSWindowsServer, Release: "2016", Edition: "storage", Build: 14393}},
		{"§2 2008 R2 enterprise", "Windows Server 2008 R2 Enterprise", "6.1 (7601)",
			OSInfo{Family: OSWindowsServer, Release: "2008 R2", Edition: "enterprise", Build: 7601}},
		{"§2 2003 R2", "Windows Server 2003 R2", "5.2 (3790)",
			OSInfo{Family: OSWindowsServer, Release: "2003 R2", Build: 3790}},
		{"§2 2000 server", "Windows 2000 Server", "5.0 (2195)",
			OSInfo{Family: OSWindowsServer, Release: "2000", Build: 2195}},
		{"§2 R2 written together", "Windows Server 2012R2 Standard", "",
			OSInfo{Family: OSWindowsServer, Release: "2012 R2", Edition: "standard"}},
		{"R9 hyper-v server 2019", "Hyper-V Server 2019", "10.0 (17763)",
			OSInfo{Family: OSHyperVServer, Release: "2019", Edition: "hyper-v", Build: 17763}},
		{"R9 microsoft hyper-v server 2012 R2", "Microsoft Hyper-V Server 2012 R2", "6.3 (9600)",
			OSInfo{Family: OSHyperVServer, Release: "2012 R2", Edition: "hyper-v", Build: 9600}},
		{"§2 samba with version", "Samba 4.17.12", "",
			OSInfo{Family: OSSamba}},
		{"§2 samba bare", "Samba", "4.17.12-Debian",
			OSInfo{Family: OSSamba}},
		{"§2 windows 10 LTSC with a server build stays a client", "Windows 10 Enterprise LTSC", "10.0 (17763)",
			OSInfo{Family: OSWindowsClient, Build: 17763}},
		{"§2 windows 11 pro", "Windows 11 Pro", "10.0 (22631)",
			OSInfo{Family: OSWindowsClient, Build: 22631}},
		{"§2 windows 7 professional", "Windows 7 Professional", "6.1 (7601)",
			OSInfo{Family: OSWindowsClient, Build: 7601}},
		{"§2 windows embedded standard is a client", "Windows Embedded Standard", "6.1 (7601)",
			OSInfo{Family: OSWindowsClient, Build: 7601}},
		{"§2 mac os x", "Mac OS X", "10.15",
			OSInfo{Family: OSOther}},
		{"§2 red hat", "Red Hat Enterprise Linux", "9.3",
			OSInfo{Family: OSOther}},
		{"§2 netapp", "NetApp Release 9.13.1", "",
			OSInfo{Family: OSOther}},
		{"§2 onefs", "OneFS", "9.5.0.0",
			OSInfo{Family: OSOther}},
		{"§2 empty", "", "",
			OSInfo{}},
		{"§2 empty name with a server build is unknown", "", "10.0 (20348)",
			OSInfo{Build: 20348}},
		{"§2 unrecognisable name", "XYZ-OS 3", "",
			OSInfo{}},
		{"§2 bare windows is unknown", "Windows", "10.0 (17763)",
			OSInfo{Build: 17763}},
		{"§2 localised standard-edition", "Windows Server 2019 Standard-Edition", "10.0 (17763)",
			OSInfo{Family: OSWindowsServer, Release: "2019", Edition: "standard", Build: 17763}},
		{"§2 localised datacenter französisch", "Windows Server 2016 Datacenter (Französisch)", "10.0 (14393)",
			OSInfo{Family: OSWindowsServer, Release: "2016", Edition: "datacenter", Build: 14393}},
		{"§2 localised évaluation", "Windows Server 2019 Datacenter Évaluation", "10.0 (17763)",
			OSInfo{Family: OSWindowsServer, Release: "2019", Edition: "datacenter", Evaluation: true, Build: 17763}},
		{"§2 server without year takes release from build 2022", "Windows Server Datacenter", "10.0 (20348)",
			OSInfo{Family: OSWindowsServer, Release: "2022", Edition: "datacenter", Build: 20348}},
		{"§2 semi-annual channel 1909 licensed as 2019", "Windows Server Standard", "10.0 (18363)",
			OSInfo{Family: OSWindowsServer, Release: "2019", Edition: "standard", Build: 18363}},
		{"§2 semi-annual channel 1803 licensed as 2016", "Windows Server Datacenter", "10.0 (17134)",
			OSInfo{Family: OSWindowsServer, Release: "2016", Edition: "datacenter", Build: 17134}},
		{"§2 server without year takes release from kernel", "Windows Server Standard", "6.1",
			OSInfo{Family: OSWindowsServer, Release: "2008 R2", Edition: "standard"}},
		{"§2 server without year or build is unknown release", "Windows Server Standard", "10.0",
			OSInfo{Family: OSWindowsServer, Edition: "standard"}},
		{"§2 name year wins over build", "Windows Server 2016 Standard", "10.0 (17763)",
			OSInfo{Family: OSWindowsServer, Release: "2016", Edition: "standard", Build: 17763}},
		{"§2 server build 2025 without year", "Windows Server", "10.0 (26100)",
			OSInfo{Family: OSWindowsServer, Release: "2025", Build: 26100}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := ParseOS(tc.os, tc.ver); got != tc.want {
				t.Errorf("ParseOS(%q, %q) = %+v, want %+v", tc.os, tc.ver, got, tc.want)
			}
		})
	}
}

func TestOSBuildNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     int
	}{
		{"§2 plain build", "10.0 (20348)", 20348},
		{"§2 build with revision", "10.0 (20348.2227)", 20348},
		{"§2 no parentheses", "6.1", 0},
		{"§2 empty", "", 0},
		{"§2 garbage in parentheses", "10.0 (abc)", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := osBuildNumber(tc.in); got != tc.want {
				t.Errorf("osBuildNumber(%q) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}

func TestOSFamilyString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    OSFamily
		want string
	}{
		{"§2 server", OSWindowsServer, "windows-server"},
		{"§2 client", OSWindowsClient, "windows-client"},
		{"§2 hyper-v", OSHyperVServer, "hyper-v-server"},
		{"§2 samba", OSSamba, "samba"},
		{"§2 other", OSOther, "other"},
		{"§2 unknown", OSUnknown, "unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.f.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}
