package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/calscan/calscan/rules"
)

// indentJSON must be json.Indent, byte for byte, on what encoding/json writes.
func FuzzIndentJSON(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[],"b":{},"c":[1,{"d":"}\"{,:["}]}`, `"x"`, `[null,true,false,-1.5e3]`,
		`{"s":"\\\"\u2028<>&"}`, `[[[[]]],{"":{"":""}}]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(s)); err != nil {
			return // not JSON: encoding/json never writes it
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "    ", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indentJSON([]byte("x"), compact.Bytes(), "    ", "  "); string(got) != "x"+want.String() {
			t.Fatalf("indentJSON(%s)\n got %q\nwant %q", compact.Bytes(), got[1:], want.String())
		}
	})
}

// The accounts of report.json are what an indenting json.Encoder writes,
// whatever the directory put in their strings.
func FuzzWriteAccounts(f *testing.F) {
	f.Add("corp", "mallory", `"><img src=x onerror=alert(1)>`, "CN=a\\,b,DC=x", "S-1-5-21-1-2-3-1105", "\xff\xfe\u2028\x00")
	f.Add("", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, domain, name, display, dn, sid, os string) {
		accounts := []rules.Account{
			{Domain: domain, Name: name, DisplayName: display, DN: dn, SID: sid, OperatingSystem: os, Counted: true,
				LastLogon: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), CALType: rules.CALUser, CALVersion: "2022"},
			{Domain: domain, Name: display, UPN: name, DNSName: os, DN: dn, Excluded: rules.ReasonStale, External: true,
				RDS: &rules.AccountRDS{CALType: rules.CALRDSUser, IssuedVersion: sid, LicenseServer: display}},
		}
		var got bytes.Buffer
		if err := writeAccounts(&got, rules.NewAccounts(accounts)); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := newJSONEncoder(&want, "    ")
		for i := range accounts {
			want.WriteString("\n    ")
			if err := enc.Encode(&accounts[i]); err != nil {
				t.Fatal(err)
			}
			want.Truncate(want.Len() - 1)
			if i < len(accounts)-1 {
				want.WriteByte(',')
			}
		}
		want.WriteString("\n  ")
		if got.String() != want.String() {
			t.Fatalf("writeAccounts\n got %s\nwant %s", got.String(), want.String())
		}
	})
}
