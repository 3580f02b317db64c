package report

import (
	"strings"
	"testing"

	"github.com/calscan/calscan/rules"
)

// TestHTMLLicensingSections checks each licensing detail beyond the CAL
// counts: present with data, absent without.
func TestHTMLLicensingSections(t *testing.T) {
	costlier := depthResult()
	costlier.Mix.UserCALs, costlier.Mix.Total, costlier.Mix.Saving = 1780, 1820, -70

	even := depthResult()
	even.Mix.Total, even.Mix.Saving = 1750, 0

	noEvidence := depthResult()
	noEvidence.Mix = &rules.Mix{Default: rules.ModelDevice, UserCALs: 0, DeviceCALs: 1900, Total: 1900, AllUser: 1750, AllDevice: 1900, Saving: -150}

	manyRaisers := depthResult()
	manyRaisers.CALs[0].RaisedBy = []string{"A (Windows Server 2022)", "B (Windows Server 2022)", "C (Windows Server 2022)",
		"D (Windows Server 2022)", "E (Windows Server 2022)", "F (Windows Server 2022)", "G (Windows Server 2022)"}

	ownedOnly := sampleResult()
	ownedOnly.CoreLicenses = []rules.CoreLicenseLine{{Edition: rules.EditionDatacenter, Unit: rules.UnitCore, Owned: 32, Surplus: 32,
		ByVersion: []rules.VersionLine{{Version: "2022", Owned: 32}}}}

	plain := sampleResult()
	plain.Servers[1].RDS = false

	rdsDevices := sampleResult()
	rdsDevices.Devices.List()[0].RDS = &rules.AccountRDS{CALType: rules.CALRDSDevice, CALVersion: "2022"}

	tests := []struct {
		name    string
		res     *rules.Result
		want    []string
		notWant []string
	}{
		{
			name: "every detail",
			res:  depthResult(),
			want: []string{
				// V4
				`<p class="cal-note">APP01 and DC01 (Windows Server 2022) raise everyone who uses them to 2022 User CALs.</p>`,
				`<p class="cal-note">APP01 (Windows Server 2022) raises every device that uses it to 2022 Device CALs.</p>`,
				`<p class="cal-note">RDS01 (Windows Server 2019) raises everyone who uses it to 2019 RDS User CALs.</p>`,
				// D4
				`Windows does not enforce per-user RDS CALs: 180 issued and valid, 9 expired; you own 100.`,
				// verdict with RDS and cores
				`Buy 1,296 Windows Server 2022 User CALs and 77 Windows Server 2019 RDS User CALs; license 32 more Standard 2022 cores.`,
				// core licences
				`<a href="#cores">Core licences</a>`, `<section id="cores">`,
				`<th scope="row">Standard <small>cores</small></th><td>2022</td><td class="n">80</td><td class="n">48</td><td class="n"><strong>32</strong></td>`,
				`<th scope="row">Datacenter <small>processor licences</small></th><td>2012</td>`,
				`<tr class="sub"><td>version 2019</td><td></td><td class="n">16</td><td class="n">16</td>`,
				`>HV01</th><td>Standard</td><td>2022</td><td class="n">32</td><td class="n">2</td><td class="n">4</td><td class="n">64 cores (2 × 32)</td>`,
				`>OLD12</th><td>Datacenter</td><td>2012 R2</td><td class="n">–</td><td class="n">4</td><td class="n">0</td><td class="n">2 processor licences</td>`,
				// the cheapest mix
				`<div class="panel mix">`,
				`With your usage evidence the cheapest mix is 1,696 User CALs &#43; 40 Device CALs = 1,736, against 1,750 with User CALs only and 1,900 with Device CALs only: you save 14 CALs.`,
				`Based on 2,400 user,device pairs in usage.csv (7 ignored); 250 users and 1,420 devices without evidence are counted under mixed_default (User CALs).`,
				`<td class="cal"><small>covered by Device CALs</small></td>`, `<td class="cal"><small>covered by User CALs</small></td>`,
				// external users and duplicates
				`<th scope="row">external users</th><td class="n">12</td>`,
				`<th scope="row">covered by External Connector</th><td class="n">5</td>`,
				`<th scope="row">accounts read twice, counted once</th><td class="n">3</td>`,
				`counted <span class="tag">external</span>`,
				// servers: who uses them and how they are licensed
				`<th scope="col">Used by</th>`,
				`<span title="CN=RDS Users\, Berlin,OU=Groups,DC=corp,DC=example,DC=com">RDS Users, Berlin</span> <span class="tag">RDS, per user</span>`,
				`<span class="everyone">everyone</span> <span class="tag">External Connector</span>`,
				// users' RDS column
				`<th scope="col">RDS CAL</th>`,
				`RDS User 2019<br><small class="issued" title="license server LS01">issued until 2027-01-26 (version 393216)</small>`,
				`<small class="expired" title="license server LS01">issued, expired 2026-10-01 (version 393216)</small>`,
				`<td>RDS User 2019</td>`,
			},
			notWant: []string{`panel mix costlier`},
		},
		{
			name: "none of it",
			res:  plain,
			notWant: []string{
				`<p class="cal-note">`, `does not enforce`, `id="cores"`, `href="#cores"`, `Cheapest user/device mix`, `covered by`,
				`external users`, `counted once`, `Used by`, `<span class="tag">RDS`, `RDS CAL</th>`, `license`,
			},
		},
		{
			name: "a mix that costs more than one type for all",
			res:  costlier,
			want: []string{`<div class="panel mix costlier">`,
				`= 1,820, against 1,750 with User CALs only and 1,900 with Device CALs only: it needs 70 CALs more than User CALs for all, because the accounts without usage evidence are counted under mixed_default (User CALs).`},
			notWant: []string{`you save`},
		},
		{
			name:    "a mix that saves nothing",
			res:     even,
			want:    []string{`: no saving over one CAL type for all.`},
			notWant: []string{`you save`, `needs`},
		},
		{
			name: "mixed model without usage evidence",
			res:  noEvidence,
			want: []string{`Without usage evidence every user and device is counted under mixed_default (Device CALs): 0 User CALs &#43; 1,900 Device CALs = 1,900`,
				`Set usage_csv to user,device pairs of real access to find the cheapest mix.`},
			notWant: []string{`With your usage evidence`, `you save`},
		},
		{
			name:    "more servers raise the version than are named",
			res:     manyRaisers,
			want:    []string{`A, B, C, D, E and 2 more (Windows Server 2022) raise everyone who uses them to 2022 User CALs.`},
			notWant: []string{`E, F`, `and F`},
		},
		{
			name:    "core licences owned, none required",
			res:     ownedOnly,
			want:    []string{`<section id="cores">`, `<th scope="row">Datacenter <small>cores</small></th><td>–</td><td class="n">0</td><td class="n">32</td><td class="n">0</td><td class="n">32</td>`},
			notWant: []string{`<h3>Per server</h3>`},
		},
		{
			name:    "devices that need RDS Device CALs",
			res:     rdsDevices,
			want:    []string{`<td>RDS Device 2022</td>`, `<th scope="col">Used by</th>`, `<span class="everyone">everyone</span> <span class="tag">RDS</span>`},
			notWant: []string{`<th scope="col">Display name</th><th scope="col">UPN</th><th scope="col">Last logon</th><th scope="col">Status</th><th scope="col">CAL</th><th scope="col">RDS CAL</th>`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := renderHTML(t, New(tt.res, generatedAt, "0.1.0"))
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(page, nw) {
					t.Errorf("page has %q", nw)
				}
			}
		})
	}
}

// TestHTMLEscapesLicensingStrings puts markup in the directory and config
// strings the licensing sections show.
func TestHTMLEscapesLicensingStrings(t *testing.T) {
	const escaped = `&lt;script&gt;alert(1)&lt;/script&gt;`
	places := []struct {
		name string
		set  func(res *rules.Result, p string)
	}{
		{"raised_by", func(res *rules.Result, p string) { res.CALs[0].RaisedBy = []string{p + " (Windows Server 2022)"} }},
		{"core licence server name", func(res *rules.Result, p string) { res.Servers[3].Name = p }},
		{"access group", func(res *rules.Result, p string) { res.Servers[2].AccessGroup = "CN=" + p + ",DC=corp" }},
		{"RDS license server", func(res *rules.Result, p string) { res.Users.List()[0].RDS.LicenseServer = p }},
		{"RDS issued version", func(res *rules.Result, p string) { res.Users.List()[0].RDS.IssuedVersion = p }},
		{"usage evidence file", func(res *rules.Result, p string) { res.Mix.UsageCSV = p }},
	}
	for _, place := range places {
		t.Run(place.name, func(t *testing.T) {
			res := depthResult()
			place.set(res, scriptPayload)
			page := renderHTML(t, New(res, generatedAt, "0.1.0"))
			if strings.Contains(page, scriptPayload) {
				t.Errorf("the raw payload %q is in the page", scriptPayload)
			}
			if !strings.Contains(page, escaped) {
				t.Errorf("the escaped payload %q is not in the page", escaped)
			}
			if strings.Count(page, "<script") != 1 {
				t.Errorf("the page has more than its own <script>")
			}
		})
	}
}

func TestRaisedBySentence(t *testing.T) {
	tests := []struct {
		name     string
		typ      rules.CALType
		raisedBy []string
		want     string
	}{
		{"one server", rules.CALUser, []string{"APP01 (Windows Server 2025)"},
			"APP01 (Windows Server 2025) raises everyone who uses it to 2025 User CALs."},
		{"one release", rules.CALUser, []string{"DC1 (Windows Server 2025)", "DC2 (Windows Server 2025)"},
			"DC1 and DC2 (Windows Server 2025) raise everyone who uses them to 2025 User CALs."},
		{"two releases of one CAL version", rules.CALUser, []string{"APP (Windows Server 2025)", "DC1 (Windows Server 2025 Preview)"},
			"APP (Windows Server 2025) and DC1 (Windows Server 2025 Preview) raise everyone who uses them to 2025 User CALs."},
		{"devices", rules.CALDevice, []string{"APP01 (Windows Server 2025)"},
			"APP01 (Windows Server 2025) raises every device that uses it to 2025 Device CALs."},
		{"a name in brackets", rules.CALRDSUser, []string{"TS (old) (Windows Server 2025)", "TS2 (Windows Server 2025)"},
			"TS (old) and TS2 (Windows Server 2025) raise everyone who uses them to 2025 RDS User CALs."},
		{"no release", rules.CALUser, []string{"APP01"},
			"APP01 raises everyone who uses it to 2025 User CALs."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := raisedBySentence(rules.CALLine{Type: tt.typ, MinVersion: "2025", RaisedBy: tt.raisedBy})
			if got != tt.want {
				t.Errorf("raisedBySentence = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFirstRDNValue(t *testing.T) {
	tests := []struct{ dn, want string }{
		{"CN=RDS Users,OU=Groups,DC=corp,DC=example,DC=com", "RDS Users"},
		{`CN=Sales\, Berlin,OU=Groups,DC=corp`, "Sales, Berlin"},
		{`CN=Sales\2C Paris,DC=corp`, "Sales, Paris"},
		{"CN=Finance+OU=x,DC=corp", "Finance"},
		{"CN=Single", "Single"},
		{"not a DN", "not a DN"},
		{`CN=trailing\`, `trailing\`},
	}
	for _, tt := range tests {
		t.Run(tt.dn, func(t *testing.T) {
			if got := firstRDNValue(tt.dn); got != tt.want {
				t.Errorf("firstRDNValue(%q) = %q, want %q", tt.dn, got, tt.want)
			}
		})
	}
}

func TestRDSCell(t *testing.T) {
	table := accountTable{Now: generatedAt}
	tests := []struct {
		name string
		rds  *rules.AccountRDS
		want rdsCell
	}{
		{"no RDS", nil, rdsCell{}},
		{"needs one", &rules.AccountRDS{CALType: rules.CALRDSUser, CALVersion: "2022"}, rdsCell{Need: "RDS User 2022"}},
		{"issued and valid", &rules.AccountRDS{CALType: rules.CALRDSUser, CALVersion: "2019", IssuedVersion: "393216", IssuedExpires: day(2027, 1, 26), LicenseServer: "LS01"},
			rdsCell{Need: "RDS User 2019", Issued: "issued until 2027-01-26 (version 393216)", Server: "LS01"}},
		{"issued and expired, not needed", &rules.AccountRDS{IssuedExpires: day(2026, 10, 1)},
			rdsCell{Issued: "issued, expired 2026-10-01", Expired: true}},
		{"issued without an expiry", &rules.AccountRDS{LicenseServer: "LS01"}, rdsCell{Issued: "issued", Server: "LS01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := table.RDSCell(rules.Account{RDS: tt.rds}); got != tt.want {
				t.Errorf("RDSCell = %+v, want %+v", got, tt.want)
			}
		})
	}
}
