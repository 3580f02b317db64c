package scanner

import (
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// mapGetter serves attributes from a map, case-insensitively as a directory would.
func mapGetter(attrs map[string][]string) attrGetter {
	return func(name string) [][]byte {
		for k, vs := range attrs {
			if strings.EqualFold(k, name) {
				out := make([][]byte, len(vs))
				for i, v := range vs {
					out[i] = []byte(v)
				}
				return out
			}
		}
		return nil
	}
}

func mustHexString(t *testing.T, s string) string {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDecodeObject(t *testing.T) {
	t.Parallel()
	domainAdminsSID := mustHexString(t, "010500000000000515000000dcf4dc3b833d2b46828ba62800020000")
	jan2024 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		kind    Kind
		dn      string
		attrs   map[string][]string
		want    Object
		wantErr []string // substrings of the error; nil: no error
	}{
		{
			name: "user with every attribute, odd case",
			kind: KindUser,
			dn:   "CN=Ann,OU=Staff,DC=corp,DC=test",
			attrs: map[string][]string{
				"OBJECTSID": {domainAdminsSID}, "samaccountname": {"ann"}, "userPrincipalName": {"ann@corp.test"},
				"displayName": {"Ann Example"}, "mail": {"not read"}, "userAccountControl": {"514"},
				"primaryGroupID": {"513"}, "lastLogonTimestamp": {"133485408000000000"}, "accountExpires": {"9223372036854775807"},
				"whenCreated": {"20240101000000.0Z"}, "memberOf": {"CN=G1,DC=corp,DC=test", "CN=G2,DC=corp,DC=test"},
				"servicePrincipalName": {"HTTP/app"}, "msTSLicenseVersion": {"10.0"}, "msTSExpireDate": {"20240101000000.0Z"},
				"msTSManagingLS": {"LS-1"}, "operatingSystem": {"ignored for users"},
			},
			want: Object{
				Kind: KindUser, Domain: "corp", DN: "CN=Ann,OU=Staff,DC=corp,DC=test",
				SID: "S-1-5-21-1004336348-1177238915-682003330-512", SAMAccountName: "ann", UserPrincipalName: "ann@corp.test",
				DisplayName: "Ann Example", UserAccountControl: 514, PrimaryGroupID: 513,
				LastLogon: jan2024, WhenCreated: jan2024, MemberOf: []string{"CN=G1,DC=corp,DC=test", "CN=G2,DC=corp,DC=test"},
				TSLicenseVersion: "10.0", TSExpireDate: jan2024, TSManagingLS: "LS-1",
			},
		},
		{
			name: "computer",
			kind: KindComputer,
			attrs: map[string][]string{
				"distinguishedName": {"CN=FS01,OU=Servers,DC=corp,DC=test"}, "sAMAccountName": {"FS01$"},
				"userAccountControl": {"4096"}, "dNSHostName": {"fs01.corp.test"},
				"operatingSystem": {"Windows Server 2022 Standard"}, "operatingSystemVersion": {"10.0 (20348)"},
				"msTSLicenseVersion": {"ignored for computers"},
			},
			want: Object{
				Kind: KindComputer, Domain: "corp", DN: "CN=FS01,OU=Servers,DC=corp,DC=test", SAMAccountName: "FS01$",
				UserAccountControl: 4096, DNSHostName: "fs01.corp.test",
				OperatingSystem: "Windows Server 2022 Standard", OperatingSystemVersion: "10.0 (20348)",
			},
		},
		{
			name:  "group reads only its own attributes",
			kind:  KindGroup,
			dn:    "CN=Staff,DC=corp,DC=test",
			attrs: map[string][]string{"objectSid": {"S-1-5-21-1-2-3-1105"}, "sAMAccountName": {"Staff"}, "memberOf": {"CN=All,DC=corp,DC=test"}, "mail": {"x"}},
			want: Object{
				Kind: KindGroup, Domain: "corp", DN: "CN=Staff,DC=corp,DC=test", SID: "S-1-5-21-1-2-3-1105",
				SAMAccountName: "Staff", MemberOf: []string{"CN=All,DC=corp,DC=test"},
			},
		},
		{
			name: "bad values are reported and the rest is kept",
			kind: KindUser,
			dn:   "CN=Bad,DC=corp,DC=test",
			attrs: map[string][]string{
				"objectSid": {"\x01\x05garbage"}, "sAMAccountName": {"bad"}, "userAccountControl": {"lots"},
				"primaryGroupID": {"x"}, "lastLogonTimestamp": {"-5"}, "whenCreated": {"yesterday"}, "mail": {"bad@example.test"},
			},
			want:    Object{Kind: KindUser, Domain: "corp", DN: "CN=Bad,DC=corp,DC=test", SAMAccountName: "bad"},
			wantErr: []string{"objectSid", "userAccountControl", "primaryGroupID", "lastLogonTimestamp", "whenCreated"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Start from a used Object: decodeObject must clear what the last entry left.
			got := Object{SID: "stale", MemberOf: []string{"stale"}, DNSHostName: "stale", UserAccountControl: 2}
			err := decodeObject(&got, tt.kind, "corp", tt.dn, mapGetter(tt.attrs))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decodeObject() =\n%+v\nwant\n%+v", got, tt.want)
			}
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("decodeObject() error = %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("decodeObject() error = nil, want one")
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not name %s", err, s)
				}
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		classes  []string
		category string
		want     Kind
	}{
		{name: "user", classes: []string{"top", "person", "organizationalPerson", "user"}, want: KindUser},
		{name: "computer is also a user", classes: []string{"top", "person", "organizationalPerson", "user", "computer"}, want: KindComputer},
		{name: "group", classes: []string{"top", "group"}, want: KindGroup},
		{name: "case-insensitive", classes: []string{"TOP", "Group"}, want: KindGroup},
		{name: "contact", classes: []string{"top", "person", "organizationalPerson", "contact"}, want: 0},
		{name: "organizational unit", classes: []string{"top", "organizationalUnit"}, want: 0},
		{name: "user by category DN", classes: []string{"user"}, category: "CN=Person,CN=Schema,CN=Configuration,DC=corp,DC=test", want: KindUser},
		{name: "contact by category", classes: []string{"contact"}, category: "CN=Person,CN=Schema,CN=Configuration,DC=corp,DC=test", want: 0},
		{name: "computer by bare category", classes: []string{"user", "computer"}, category: "computer", want: KindComputer},
		{name: "managed service account", classes: []string{"user", "computer", "msDS-GroupManagedServiceAccount"},
			category: "CN=ms-DS-Group-Managed-Service-Account,CN=Schema,CN=Configuration,DC=corp,DC=test", want: 0},
		{name: "nothing", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := kindOf(tt.classes, tt.category); got != tt.want {
				t.Fatalf("kindOf(%v, %q) = %v, want %v", tt.classes, tt.category, got, tt.want)
			}
		})
	}
}

func TestEntryGetter(t *testing.T) {
	t.Parallel()
	entry := ldap.NewEntry("CN=Ann,DC=corp,DC=test", map[string][]string{
		"SAMACCOUNTNAME":                 {"ann"},
		"memberOf;range=0-1499":          {"CN=G1", "CN=G2"},
		"servicePrincipalName;range=0-*": {"HTTP/a"},
		"userCertificate;binary":         {"cert"},
	})
	tests := []struct {
		attr        string
		want        []string
		wantPartial bool
	}{
		{attr: "sAMAccountName", want: []string{"ann"}},
		{attr: "memberOf", want: []string{"CN=G1", "CN=G2"}, wantPartial: true},
		{attr: "servicePrincipalName", want: []string{"HTTP/a"}},
		{attr: "userCertificate", want: []string{"cert"}},
		{attr: "mail", want: nil},
		{attr: "member", want: nil}, // a prefix of memberOf is not memberOf
	}
	for _, tt := range tests {
		t.Run(tt.attr, func(t *testing.T) {
			t.Parallel()
			partial := ""
			got := strs(entryGetter(entry, func(a string) { partial = a })(tt.attr))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("get(%q) = %q, want %q", tt.attr, got, tt.want)
			}
			if (partial != "") != tt.wantPartial {
				t.Errorf("get(%q) reported partial %q, want partial %v", tt.attr, partial, tt.wantPartial)
			}
		})
	}
}

func TestAttributesFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind        Kind
		mustHave    []string
		mustNotHave []string
	}{
		{kind: KindUser, mustHave: []string{"objectSid", "lastLogonTimestamp", "msTSLicenseVersion", "memberOf"}, mustNotHave: []string{"operatingSystem"}},
		{kind: KindComputer, mustHave: []string{"objectSid", "dNSHostName", "operatingSystemVersion"}, mustNotHave: []string{"msTSManagingLS"}},
		{kind: KindGroup, mustHave: []string{"objectSid", "sAMAccountName", "distinguishedName", "memberOf"}, mustNotHave: []string{"lastLogonTimestamp", "member"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			t.Parallel()
			attrs := attributesFor(tt.kind)
			has := func(a string) bool {
				for _, x := range attrs {
					if x == a {
						return true
					}
				}
				return false
			}
			for _, a := range tt.mustHave {
				if !has(a) {
					t.Errorf("%v attributes lack %s", tt.kind, a)
				}
			}
			for _, a := range tt.mustNotHave {
				if has(a) {
					t.Errorf("%v attributes ask for %s", tt.kind, a)
				}
			}
		})
	}
}
