package adsim

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestFilterEvaluation(t *testing.T) {
	t.Parallel()
	ix, err := newIndex(smallDirectory())
	if err != nil {
		t.Fatal(err)
	}
	sidHex := func(sid string) string {
		var b strings.Builder
		for i := 0; i < len(sid); i++ {
			fmt.Fprintf(&b, "\\%02x", sid[i])
		}
		return b.String()
	}
	const (
		app   = "CN=App Users,OU=Groups,DC=ex,DC=test"
		loopA = "CN=Loop A,OU=Groups,DC=ex,DC=test"
		users = "alice,bob,carol,erin,jmuller"
	)
	tests := []struct {
		name, filter, want string
	}{
		{"category short name", "(objectCategory=person)", users},
		{"category of class user is person", "(objectCategory=user)", users},
		{"category computer", "(objectCategory=computer)", "WS01$"},
		{"category group", "(objectCategory=group)", "App Users,Loop A,Loop B,RDS Users,Remote"},
		{"category full DN", "(objectCategory=CN=Person,CN=Schema,CN=Configuration,DC=ex,DC=test)", users},
		{"default user filter", "(&(objectCategory=person)(objectClass=user))", users},
		{"names and values case-insensitive", "(OBJECTCLASS=USER)", users + ",WS01$"},
		{"bitwise and: disabled", "(userAccountControl:1.2.840.113556.1.4.803:=2)", "bob"},
		{"not disabled", "(&(objectCategory=person)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))", "alice,carol,erin,jmuller"},
		{"bitwise and needs every bit", "(userAccountControl:1.2.840.113556.1.4.803:=66050)", ""},
		{"bitwise or: any bit", "(userAccountControl:1.2.840.113556.1.4.804:=65538)", "bob,carol"},
		{"bitwise on a negative groupType", "(groupType:1.2.840.113556.1.4.803:=2147483648)", "App Users,Loop A,Loop B,RDS Users,Remote"},
		{"direct memberOf", "(memberOf=" + app + ")", "RDS Users"},
		{"memberOf in chain", "(memberOf:1.2.840.113556.1.4.1941:=" + app + ")", "RDS Users,Remote,alice,bob"},
		{"in chain through a cycle", "(memberOf:1.2.840.113556.1.4.1941:=" + loopA + ")", "Loop A,Loop B,erin"},
		{"member in chain", "(member:1.2.840.113556.1.4.1941:=CN=Alice,OU=Staff,DC=ex,DC=test)", "App Users,RDS Users,Remote"},
		{"in chain with a spaced, upper-case DN", "(memberOf:1.2.840.113556.1.4.1941:=cn=APP USERS, ou=groups, dc=ex, dc=test)", "RDS Users,Remote,alice,bob"},
		{"DN equality canonicalised", "(distinguishedName=cn=ALICE, ou=staff,dc=ex,dc=test)", "alice"},
		{"substring initial", "(sAMAccountName=AL*)", "alice"},
		{"substring initial any final", "(cn=a*i*e)", "alice"},
		{"substring final, non-ASCII case", "(displayName=*MÜLLER)", "jmuller"},
		{"substring pieces in order", "(sAMAccountName=*l*e*)", "alice,jmuller"},
		{"substring pieces out of order", "(sAMAccountName=*e*l*)", ""},
		{"presence", "(mail=*)", "alice"},
		{"absence", "(&(objectCategory=person)(!(lastLogonTimestamp=*)))", "carol,erin,jmuller"},
		{"greater or equal is numeric", "(lastLogonTimestamp>=133500000000000000)", "alice"},
		{"less or equal is numeric", "(lastLogonTimestamp<=133500000000000000)", "bob"},
		{"or", "(|(sAMAccountName=alice)(sAMAccountName=bob))", "alice,bob"},
		{"objectSid as text", "(objectSid=S-1-5-21-1-2-3-1105)", "alice"},
		{"objectSid as escaped bytes", "(objectSid=" + sidHex(encodeSID(21, 1, 2, 3, 1105)) + ")", "alice"},
		{"unknown attribute never matches", "(noSuchAttribute=x)", ""},
		{"approximate is equality", "(sAMAccountName~=ALICE)", "alice"},
		{"extensible without a rule is equality", "(sAMAccountName:=bob)", "bob"},
		{"unknown matching rule never matches", "(userAccountControl:1.2.3.4:=2)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := compileFilter(ix, tt.filter)
			if err != nil {
				t.Fatalf("compile %s: %v", tt.filter, err)
			}
			var got []*Entry
			for _, e := range ix.entries {
				if m.match(e) {
					got = append(got, e)
				}
			}
			if g, w := sams(got), sortCSV(tt.want); g != w {
				t.Errorf("%s matched %q, want %q", tt.filter, g, w)
			}
		})
	}
}

func TestFilterErrors(t *testing.T) {
	t.Parallel()
	ix, err := newIndex(smallDirectory())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{
		"",
		"(",
		"(&(cn=a)",
		"cn=a)",
		"(cn=a))",
		"(userAccountControl:1.2.840.113556.1.4.803:=abc)",
		"(:1.2.840.113556.1.4.803:=2)",
	} {
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			if _, err := compileFilter(ix, f); !errors.Is(err, errFilter) {
				t.Errorf("compileFilter(%q) = %v, want errFilter", f, err)
			}
		})
	}
}
