package rules

import (
	"reflect"
	"slices"
	"testing"
)

func TestShortfall(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		required    map[string]int
		owned       map[string]int
		want        CALLine
		wantBinding string
	}{
		{"§6 exactly covered",
			map[string]int{"2022": 100}, map[string]int{"2022": 100},
			CALLine{Required: 100, Owned: 100, MinVersion: "2022",
				ByVersion: []VersionLine{{"2022", 100, 100}}}, ""},
		{"§6 too few of the right version",
			map[string]int{"2022": 150}, map[string]int{"2022": 100},
			CALLine{Required: 150, Owned: 100, Shortfall: 50, MinVersion: "2022",
				ByVersion: []VersionLine{{"2022", 150, 100}}}, "2022"},
		{"§6 older CALs do not cover newer",
			map[string]int{"2022": 150}, map[string]int{"2016": 100, "2022": 50},
			CALLine{Required: 150, Owned: 150, Shortfall: 100, Surplus: 100, MinVersion: "2022",
				ByVersion: []VersionLine{{"2016", 0, 100}, {"2022", 150, 50}}}, "2022"},
		{"§6 newer CALs cover older servers",
			map[string]int{"2016": 80}, map[string]int{"2025": 100},
			CALLine{Required: 80, Owned: 100, Surplus: 20, MinVersion: "2016",
				ByVersion: []VersionLine{{"2016", 80, 0}, {"2025", 0, 100}}}, ""},
		{"V5 sa covers the newest version",
			map[string]int{"2025": 30}, map[string]int{"sa": 30},
			CALLine{Required: 30, Owned: 30, MinVersion: "2025",
				ByVersion: []VersionLine{{"2025", 30, 0}, {"sa", 0, 30}}}, ""},
		{"§6 nested versions: Hall's condition binds at the newest",
			// suffix at 2022: 40 req vs 10 own -> 30; at 2016: 100 vs 80 -> 20
			map[string]int{"2016": 60, "2022": 40}, map[string]int{"2016": 70, "2022": 10},
			CALLine{Required: 100, Owned: 80, Shortfall: 30, Surplus: 10, MinVersion: "2022",
				ByVersion: []VersionLine{{"2016", 60, 70}, {"2022", 40, 10}}}, "2022"},
		{"§6 nested versions: binds at the older version",
			// suffix at 2022: 10 vs 10 -> 0; at 2016: 100 vs 50 -> 50
			map[string]int{"2016": 90, "2022": 10}, map[string]int{"2012": 30, "2016": 40, "2022": 10},
			CALLine{Required: 100, Owned: 80, Shortfall: 50, Surplus: 30, MinVersion: "2022",
				ByVersion: []VersionLine{{"2012", 0, 30}, {"2016", 90, 40}, {"2022", 10, 10}}}, "2016"},
		{"§6 tie: older CALs all used by older servers are not blamed",
			// suffix at 2022: 10 vs 0 -> 10; at 2016: 15 vs 5 -> 10; upgrading the 2016 CALs would not help
			map[string]int{"2016": 5, "2022": 10}, map[string]int{"2016": 5},
			CALLine{Required: 15, Owned: 5, Shortfall: 10, MinVersion: "2022",
				ByVersion: []VersionLine{{"2016", 5, 5}, {"2022", 10, 0}}}, "2016"},
		{"§6 owned only: all surplus",
			map[string]int{}, map[string]int{"2019": 25},
			CALLine{Owned: 25, Surplus: 25, ByVersion: []VersionLine{{"2019", 0, 25}}}, ""},
		{"§6 owned nothing",
			map[string]int{"2019": 7}, map[string]int{},
			CALLine{Required: 7, Shortfall: 7, MinVersion: "2019", ByVersion: []VersionLine{{"2019", 7, 0}}}, "2019"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := &calBalance{required: tc.required, owned: tc.owned}
			got := b.line(CALUser)
			tc.want.Type = CALUser
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("line = %+v\nwant   %+v", got, tc.want)
			}
			if _, binding := b.shortfall(); binding != tc.wantBinding {
				t.Errorf("binding version = %q, want %q", binding, tc.wantBinding)
			}
		})
	}
}

func TestOlderThan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		owned        map[string]int
		version      string
		wantN        int
		wantVersions []string
	}{
		{"V1 two older versions", map[string]int{"2008": 5, "2016": 10, "2022": 50}, "2022", 15, []string{"2008", "2016"}},
		{"V1 none older", map[string]int{"2022": 50, "sa": 5}, "2022", 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := &calBalance{required: map[string]int{}, owned: tc.owned}
			n, versions := b.olderThan(tc.version)
			if n != tc.wantN || !slices.Equal(versions, tc.wantVersions) {
				t.Errorf("olderThan(%q) = %d %v, want %d %v", tc.version, n, versions, tc.wantN, tc.wantVersions)
			}
		})
	}
}

func TestCALLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		model   Model
		cals    []OwnedCAL
		servers []string // operating systems
		want    []CALLine
	}{
		{"R1 user model: required users at the highest server version",
			ModelUser, []OwnedCAL{{Type: CALUser, Version: "2019", Quantity: 3}},
			[]string{"Windows Server 2019 Standard", "Windows Server 2022 Standard"},
			[]CALLine{{Type: CALUser, Required: 2, MinVersion: "2022", Owned: 3, Shortfall: 2, Surplus: 3,
				ByVersion: []VersionLine{{"2019", 0, 3}, {"2022", 2, 0}}, RaisedBy: []string{"SRV0001 (Windows Server 2022)"}}}},
		{"R2 device model: required devices",
			ModelDevice, []OwnedCAL{{Type: CALDevice, Version: "2022", Quantity: 1}, {Type: CALDevice, Version: "2022", Quantity: 1}},
			[]string{"Windows Server 2022 Standard"},
			[]CALLine{{Type: CALDevice, Required: 1, MinVersion: "2022", Owned: 2, Surplus: 1,
				ByVersion: []VersionLine{{"2022", 1, 2}}, RaisedBy: []string{"SRV0000 (Windows Server 2022)"}}}},
		{"R2 owned types that are not required get a line, in type order",
			ModelUser, []OwnedCAL{{Type: CALRDSUser, Version: "2022", Quantity: 4}, {Type: CALDevice, Version: "2016", Quantity: 5}},
			[]string{"Windows Server 2016 Standard"},
			[]CALLine{
				{Type: CALUser, Required: 2, MinVersion: "2016", Shortfall: 2, ByVersion: []VersionLine{{"2016", 2, 0}}, RaisedBy: []string{"SRV0000 (Windows Server 2016)"}},
				{Type: CALDevice, Owned: 5, Surplus: 5, ByVersion: []VersionLine{{"2016", 0, 5}}},
				{Type: CALRDSUser, Owned: 4, Surplus: 4, ByVersion: []VersionLine{{"2022", 0, 4}}},
			}},
		{"R1 no CAL server: nothing required, no line without owned CALs",
			ModelUser, nil, []string{"Samba"}, []CALLine{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Model = tc.model
			p.CALs = tc.cals
			objects := objs(user("ann"), user("bob"), computer("PC1", "Windows 11 Pro", ""))
			for i, os := range tc.servers {
				objects = append(objects, server("SRV"+pad(i), os))
			}
			r := evaluate(t, p, objects)
			if !reflect.DeepEqual(r.CALs, tc.want) {
				t.Errorf("cals = %+v\nwant %+v", r.CALs, tc.want)
			}
		})
	}
}
