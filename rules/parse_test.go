package rules

import (
	"strings"
	"testing"
)

func TestParseEdition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     Edition
		wantErr  bool
	}{
		{"R1 standard", "standard", EditionStandard, false},
		{"R1 datacenter any case", " DataCenter ", EditionDatacenter, false},
		{"R8 essentials", "essentials", EditionEssentials, false},
		{"R8 foundation", "foundation", EditionFoundation, false},
		{"R9 hyper-v", "hyper-v", EditionHyperV, false},
		{"R1 none", "none", EditionNone, false},
		{"R1 enterprise", "enterprise", EditionEnterprise, false},
		{"R1 storage", "storage", EditionStorage, false},
		{"R1 web", "web", EditionWeb, false},
		{"R1 unknown edition", "premium", "", true},
		{"R1 empty edition", "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseEdition(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseEdition(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestParseCALType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     CALType
		wantErr  bool
	}{
		{"R2 user", "user", CALUser, false},
		{"R2 device any case", "Device", CALDevice, false},
		{"D1 rds-user", "rds-user", CALRDSUser, false},
		{"D1 rds-device", "rds-device", CALRDSDevice, false},
		{"R2 unknown type", "users", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCALType(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseCALType(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestParseCALVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		errHas         []string
	}{
		{"V3 2022", "2022", "2022", nil},
		{"V3 2008", "2008", "2008", nil},
		{"V3 2025 with blanks", " 2025 ", "2025", nil},
		{"V5 sa any case", "SA", "sa", nil},
		{"V2 2012 R2 has no CALs: use 2012", "2012 R2", "", []string{"V2", `"2012"`}},
		{"V2 2008 R2 has no CALs: use 2008", "2008 r2", "", []string{"V2", `"2008"`}},
		{"V3 2003 CALs are not sold", "2003", "", []string{"2008, 2012"}},
		{"V3 garbage", "latest", "", []string{"sa"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCALVersion(tc.in)
			if got != tc.want || (err != nil) != (tc.errHas != nil) {
				t.Fatalf("ParseCALVersion(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			for _, s := range tc.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

func TestParseRelease(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"V1 2022", "2022", "2022", false},
		{"V2 2012 R2", "2012 R2", "2012 R2", false},
		{"V2 2012r2 written together", "2012r2", "2012 R2", false},
		{"V2 2008 r2 lower case", "2008  r2", "2008 R2", false},
		{"V1 2003 still in old directories", "2003", "2003", false},
		{"V2 2016 R2 does not exist", "2016 R2", "", true},
		{"V1 garbage", "vNext", "", true},
		{"V1 empty", "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRelease(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseRelease(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestValidateAccountPattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		wantErr  bool
	}{
		{"R1 prefix glob", "svc-*", false},
		{"R1 set glob", "[ab]dmin", false},
		{"R1 unclosed set", "svc-[", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := ValidateAccountPattern(tc.in); (err != nil) != tc.wantErr {
				t.Errorf("ValidateAccountPattern(%q) = %v, want error %v", tc.in, err, tc.wantErr)
			}
		})
	}
}
