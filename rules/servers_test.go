package rules

import (
	"strings"
	"testing"

	"github.com/calscan/calscan/scanner"
)

func TestServerRecognition(t *testing.T) {
	t.Parallel()
	type want struct {
		edition    Edition
		version    string
		calVersion string
		needsCALs  bool
		excluded   Reason
		source     string
		dc         bool
		note       string // a part of the note; "" means no note
	}
	tests := []struct {
		name    string
		servers []ServerConfig
		policy  func(*Policy)
		object  *scanner.Object
		server  string
		want    want
	}{
		{"R1 2022 standard needs 2022 CALs", nil, nil,
			server("FS01", "Windows Server 2022 Standard"), "FS01",
			want{EditionStandard, "2022", "2022", true, "", SourceDirectory, false, ""}},
		{"V2 2012 R2 needs 2012 CALs", nil, nil,
			server("APP01", "Windows Server 2012 R2 Datacenter"), "APP01",
			want{EditionDatacenter, "2012 R2", "2012", true, "", SourceDirectory, false, ""}},
		{"R1 2008 enterprise is sold with CALs", nil, nil,
			server("OLD01", "Windows Server® 2008 Enterprise"), "OLD01",
			want{EditionEnterprise, "2008", "2008", true, "", SourceDirectory, false, ""}},
		{"R1 SBS 2011 standard needs 2008 CALs", nil, nil,
			server("SBS", "Windows Small Business Server 2011 Standard"), "SBS",
			want{EditionStandard, "2008 R2", "2008", true, "", SourceDirectory, false, "Small Business Server 2011"}},
		{"R1 unknown edition of Windows Server needs CALs to be safe", nil, nil,
			server("X1", "Windows Server 2019"), "X1",
			want{"", "2019", "2019", true, "", SourceDirectory, false, "Edition unknown"}},
		{"R1 storage server needs CALs to be safe, with a note how to override", nil, nil,
			server("NAS1", "Windows Storage Server 2016 Standard"), "NAS1",
			want{EditionStorage, "2016", "2016", true, "", SourceDirectory, false, `edition = "none"`}},
		{"R1 web server needs no CALs", nil, nil,
			server("WEB1", "Windows Web Server 2008 R2"), "WEB1",
			want{EditionWeb, "2008 R2", "", false, "", SourceDirectory, false, "Web Server"}},
		{"R8 essentials needs no CALs", nil, nil,
			server("ESS1", "Windows Server 2012 R2 Essentials"), "ESS1",
			want{EditionEssentials, "2012 R2", "", false, "", SourceDirectory, false, "25 users"}},
		{"R8 foundation needs no CALs", nil, nil,
			server("FND1", "Windows Server 2012 Foundation"), "FND1",
			want{EditionFoundation, "2012", "", false, "", SourceDirectory, false, "15 users"}},
		{"R9 hyper-v server needs no CALs", nil, nil,
			server("HV1", "Hyper-V Server 2019"), "HV1",
			want{EditionHyperV, "2019", "", false, "", SourceDirectory, false, "R9"}},
		{"R6 a Samba DC needs no Windows Server CAL", nil, nil,
			dc("DC1", "Samba 4.17.12"), "DC1",
			want{EditionNone, "", "", false, "", SourceDirectory, true, "Samba"}},
		{"R6 a Windows DC needs CALs", nil, nil,
			dc("DC2", "Windows Server 2025 Datacenter"), "DC2",
			want{EditionDatacenter, "2025", "2025", true, "", SourceDirectory, true, ""}},
		{"R6 a DC with no operating system is a server of unknown version", nil, nil,
			dc("DC3", ""), "DC3",
			want{"", "", "", false, "", SourceDirectory, true, "Version unknown"}},
		{"R6 a read-only DC is a DC", nil, nil,
			computer("RODC", "Windows Server 2016 Standard", "", uac(scanner.UACWorkstationTrust|scanner.UACPartialSecretsAccount)), "RODC",
			want{EditionStandard, "2016", "2016", true, "", SourceDirectory, true, ""}},
		{"V1 Windows Server with no release does not set a version", nil, nil,
			computer("X2", "Windows Server Standard", "10.0"), "X2",
			want{EditionStandard, "", "", false, "", SourceDirectory, false, "Version unknown"}},
		{"A2 a disabled server does not raise the version", nil, nil,
			server("OLD", "Windows Server 2025 Standard", disabled), "OLD",
			want{EditionStandard, "2025", "", false, ReasonDisabled, SourceDirectory, false, ""}},
		{"A2 a stale server does not raise the version", nil, nil,
			server("OLD", "Windows Server 2025 Standard", lastLogon(daysAgo(365))), "OLD",
			want{EditionStandard, "2025", "", false, ReasonStale, SourceDirectory, false, ""}},
		{"A2 an excluded server does not raise the version", nil, func(p *Policy) { p.ExcludeAccounts = []string{"lab-*"} },
			server("LAB-1", "Windows Server 2025 Standard"), "LAB-1",
			want{EditionStandard, "2025", "", false, ReasonExcludedAccount, SourceDirectory, false, ""}},
		{"R8 [[server]] overrides a 2022 Essentials that says Standard", []ServerConfig{{Name: "fs01", Edition: EditionEssentials}}, nil,
			server("FS01", "Windows Server 2022 Standard"), "FS01",
			want{EditionEssentials, "2022", "", false, "", SourceDirectoryConfig, false, "25 users"}},
		{"V1 [[server]] overrides the version", []ServerConfig{{Name: "FS01", Release: "2019"}}, nil,
			server("FS01", "Windows Server Standard"), "FS01",
			want{EditionStandard, "2019", "2019", true, "", SourceDirectoryConfig, false, ""}},
		{"R1 [[server]] matched by the first label of dNSHostName", []ServerConfig{{Name: "FILESRV", Edition: EditionDatacenter}}, nil,
			server("X9", "Windows Server 2022 Standard", func(o *scanner.Object) { o.DNSHostName = "filesrv.corp.example.com" }), "X9",
			want{EditionDatacenter, "2022", "2022", true, "", SourceDirectoryConfig, false, ""}},
		{"R1 [[server]] edition none needs no CALs", []ServerConfig{{Name: "NAS1", Edition: EditionNone}}, nil,
			server("NAS1", "Windows Storage Server 2016 Standard"), "NAS1",
			want{EditionNone, "2016", "", false, "", SourceDirectoryConfig, false, "Needs no Windows Server CAL"}},
		{"R10 a client OS named in [[server]] is a server", []ServerConfig{{Name: "PC9", Edition: EditionStandard, Release: "2016"}}, nil,
			computer("PC9", "Windows 10 Pro", "10.0 (19045)"), "PC9",
			want{EditionStandard, "2016", "2016", true, "", SourceDirectoryConfig, false, ""}},
		{"R1 a [[server]] with no computer is added from config", []ServerConfig{{Name: "CLOUD1", Edition: EditionDatacenter, Release: "2022", RDS: true}}, nil,
			user("ann"), "CLOUD1",
			want{EditionDatacenter, "2022", "2022", true, "", SourceConfig, false, ""}},
		{"R1 a config server without edition or version", []ServerConfig{{Name: "CLOUD2"}}, nil,
			user("ann"), "CLOUD2",
			want{"", "", "", false, "", SourceConfig, false, "Version unknown"}},
		{"R1 Azure Edition says how to override", nil, nil,
			server("AZ1", "Windows Server 2022 Datacenter: Azure Edition"), "AZ1",
			want{EditionDatacenter, "2022", "2022", true, "", SourceDirectory, false, "Azure"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Servers = tc.servers
			if tc.policy != nil {
				tc.policy(&p)
			}
			r := evaluate(t, p, objs(tc.object))
			s := findServer(t, r, tc.server)
			got := want{s.Edition, s.Version, s.CALVersion, s.NeedsCALs, s.Excluded, s.Source, s.DomainController, tc.want.note}
			if got != tc.want {
				t.Errorf("server = %+v\nwant %+v", got, tc.want)
			}
			if (tc.want.note == "") != (s.Note == "") || !strings.Contains(s.Note, tc.want.note) {
				t.Errorf("note %q, want it to contain %q", s.Note, tc.want.note)
			}
			if r.Devices.Len() != 0 {
				t.Errorf("R10: server counted as a device: %+v", r.Devices.List())
			}
		})
	}
}

func TestServersAreNotDevices(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		objects     []*scanner.Object
		wantServers int
		wantDevices int
	}{
		{"R10 servers, DCs and Hyper-V hosts are not client devices",
			objs(server("FS01", "Windows Server 2022 Standard"), dc("DC1", "Windows Server 2019 Standard"),
				server("HV1", "Hyper-V Server 2019"), dc("DC2", "Samba"), computer("PC1", "Windows 11 Pro", "")),
			4, 1},
		{"R10 a Windows 10 LTSC with a server build is a client device",
			objs(computer("PC1", "Windows 10 Enterprise LTSC", "10.0 (17763)")),
			0, 1},
		{"R10 an unknown computer is counted as a client device",
			objs(computer("X1", "", ""), computer("X2", "Plan 9", "")),
			0, 2},
		{"R10 a Linux box is a client device",
			objs(computer("LNX", "Red Hat Enterprise Linux", "9.3")),
			0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := evaluate(t, userPolicy(), tc.objects)
			if len(r.Servers) != tc.wantServers || r.Counts.DevicesCounted != tc.wantDevices || r.Devices.Len() != tc.wantDevices {
				t.Errorf("servers %d, devices %d (counted %d); want %d and %d",
					len(r.Servers), r.Devices.Len(), r.Counts.DevicesCounted, tc.wantServers, tc.wantDevices)
			}
		})
	}
}
