package rules

import "testing"

func TestCALVersionOf(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, release, want string }{
		{"V2 2012 R2 needs 2012 CALs", "2012 R2", "2012"},
		{"V2 2008 R2 needs 2008 CALs", "2008 R2", "2008"},
		{"V2 2003 R2 needs 2003 CALs", "2003 R2", "2003"},
		{"V1 2022 needs 2022 CALs", "2022", "2022"},
		{"V1 2025 needs 2025 CALs", "2025", "2025"},
		{"V1 unknown release needs nothing known", "2030", ""},
		{"V1 empty release", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := CALVersionOf(tc.release); got != tc.want {
				t.Errorf("CALVersionOf(%q) = %q, want %q", tc.release, got, tc.want)
			}
		})
	}
}

func TestCovers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		owned, required string
		want            bool
	}{
		{"V1 same version covers", "2022", "2022", true},
		{"V1 newer covers older", "2025", "2016", true},
		{"V1 older never covers newer", "2019", "2022", false},
		{"V5 sa covers the newest", "sa", "2025", true},
		{"V1 unknown owned version covers nothing", "2030", "2008", false},
		{"V1 2008 covers a 2003 server", "2008", "2003", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := covers(tc.owned, tc.required); got != tc.want {
				t.Errorf("covers(%q, %q) = %v, want %v", tc.owned, tc.required, got, tc.want)
			}
		})
	}
}

func TestBuyableVersion(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, required, want string }{
		{"V3 a sold version is bought as is", "2019", "2019"},
		{"V3 2003 CALs are not sold: buy 2008", "2003", "2008"},
		{"V3 sa requirement buys the newest", "sa", "2025"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := buyableVersion(tc.required); got != tc.want {
				t.Errorf("buyableVersion(%q) = %q, want %q", tc.required, got, tc.want)
			}
		})
	}
}
