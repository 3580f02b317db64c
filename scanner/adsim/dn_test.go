package adsim

import "testing"

func TestCanonicalDN(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"CN=App Users,OU=Groups,DC=ex", "CN=App Users,OU=Groups,DC=ex"},
		{"cn = App Users , ou=Groups;dc=ex", "cn=App Users,ou=Groups,dc=ex"},
		{" CN=a ", "CN=a"},
		{`CN=trailing\ ,DC=ex`, `CN=trailing\ ,DC=ex`},
		{`CN=Nguyen\, Thi , DC=ex`, `CN=Nguyen\, Thi,DC=ex`},
		{"CN=a= b,DC=ex", "CN=a= b,DC=ex"},
		{"CN=a + UID=b ,DC=ex", "CN=a+UID=b,DC=ex"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := canonicalDN(tt.in); got != tt.want {
				t.Errorf("canonicalDN(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDNRelations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, dn, base string
		below          bool
		parent         string
	}{
		{"child", "CN=a,DC=ex,DC=test", "DC=ex,DC=test", true, "DC=ex,DC=test"},
		{"grandchild, other case", "CN=a,OU=b,dc=EX,dc=Test", "DC=ex,DC=test", true, "OU=b,dc=EX,dc=Test"},
		{"itself is not below", "DC=ex,DC=test", "DC=ex,DC=test", false, "DC=test"},
		{"suffix without a separator", "CN=a,XDC=ex,DC=test", "DC=ex,DC=test", false, "XDC=ex,DC=test"},
		{"escaped comma stays in the RDN", `CN=a\,DC=ex,DC=test`, "DC=ex,DC=test", false, "DC=test"},
		{"escaped comma is not a separator", `CN=a\,DC=test`, "DC=test", false, ""},
		{"escaped backslash then comma", `CN=a\\,DC=test`, "DC=test", true, "DC=test"},
		{"anything is below the root", "DC=test", "", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := isBelow(tt.dn, tt.base); got != tt.below {
				t.Errorf("isBelow(%q, %q) = %v, want %v", tt.dn, tt.base, got, tt.below)
			}
			if got := parentDN(tt.dn); got != tt.parent {
				t.Errorf("parentDN(%q) = %q, want %q", tt.dn, got, tt.parent)
			}
		})
	}
}

func TestEscapeRDNValue(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Smith & Sons <Ltd>", `Smith & Sons \<Ltd\>`},
		{"Nguyễn, Thị Hương", `Nguyễn\, Thị Hương`},
		{"#1 ", `\#1\ `},
		{` a+b;c"d\e`, `\ a\+b\;c\"d\\e`},
		{"José Müller", "José Müller"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got := escapeRDNValue(tt.in)
			if got != tt.want {
				t.Errorf("escapeRDNValue(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if v := firstRDNValue("CN=" + got + ",DC=ex"); v != got {
				t.Errorf("the escaped value does not stay in one RDN: %q", v)
			}
		})
	}
}
