package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/calscan/calscan/scanner"
)

// testNow is the scan time of every test: no test reads the wall clock.
var testNow = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// zeroTime is "never" in scanner.Object.
var zeroTime time.Time

const testDomainSID = "S-1-5-21-1000-2000-3000"

func daysAgo(n int) time.Time { return testNow.Add(-time.Duration(n) * 24 * time.Hour) }

// user builds an enabled user in domain "corp" that logged on yesterday.
func user(name string, opts ...func(*scanner.Object)) *scanner.Object {
	o := &scanner.Object{
		Kind:               scanner.KindUser,
		Domain:             "corp",
		DN:                 "CN=" + name + ",OU=Staff,DC=corp,DC=example,DC=com",
		SAMAccountName:     name,
		UserAccountControl: scanner.UACNormalAccount,
		PrimaryGroupID:     513,
		LastLogon:          daysAgo(1),
		WhenCreated:        daysAgo(400),
	}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

// computer builds an enabled computer in domain "corp" running os.
func computer(name, os, version string, opts ...func(*scanner.Object)) *scanner.Object {
	o := &scanner.Object{
		Kind:                   scanner.KindComputer,
		Domain:                 "corp",
		DN:                     "CN=" + name + ",OU=Computers,DC=corp,DC=example,DC=com",
		SAMAccountName:         name + "$",
		DNSHostName:            strings.ToLower(name) + ".corp.example.com",
		UserAccountControl:     scanner.UACWorkstationTrust,
		OperatingSystem:        os,
		OperatingSystemVersion: version,
		LastLogon:              daysAgo(1),
		WhenCreated:            daysAgo(400),
	}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

func group(dn, sid string, memberOf ...string) *scanner.Object {
	return &scanner.Object{Kind: scanner.KindGroup, Domain: "corp", DN: dn, SID: sid, MemberOf: memberOf}
}

func server(name, os string, opts ...func(*scanner.Object)) *scanner.Object {
	return computer(name, os, "", opts...)
}

func dc(name, os string) *scanner.Object {
	return computer(name, os, "", func(o *scanner.Object) { o.UserAccountControl = scanner.UACServerTrust })
}

func disabled(o *scanner.Object) { o.UserAccountControl |= scanner.UACAccountDisable }

// inDomain moves an object to domain d, DN included: DNs are unique in a
// forest, and calscan takes two objects with one DN (and no SID) for one.
func inDomain(d string) func(*scanner.Object) {
	return func(o *scanner.Object) {
		o.Domain = d
		o.DN = strings.Replace(o.DN, ",DC=corp,", ",DC="+d+",", 1)
	}
}

func withDN(dn string) func(*scanner.Object) { return func(o *scanner.Object) { o.DN = dn } }

func withSID(rid string) func(*scanner.Object) {
	return func(o *scanner.Object) { o.SID = testDomainSID + "-" + rid }
}

func memberOf(dns ...string) func(*scanner.Object) {
	return func(o *scanner.Object) { o.MemberOf = dns }
}

func lastLogon(t time.Time) func(*scanner.Object) { return func(o *scanner.Object) { o.LastLogon = t } }

func created(t time.Time) func(*scanner.Object) { return func(o *scanner.Object) { o.WhenCreated = t } }

func expires(t time.Time) func(*scanner.Object) {
	return func(o *scanner.Object) { o.AccountExpires = t }
}

// rdsIssued records a per-user RDS CAL issuance on a user (D4).
func rdsIssued(version string, expires time.Time, licenseServer string) func(*scanner.Object) {
	return func(o *scanner.Object) {
		o.TSLicenseVersion, o.TSExpireDate, o.TSManagingLS = version, expires, licenseServer
	}
}

func uac(flags uint32) func(*scanner.Object) {
	return func(o *scanner.Object) { o.UserAccountControl = flags }
}

// users builds n users named prefix0001…
func users(prefix string, n int, opts ...func(*scanner.Object)) []*scanner.Object {
	out := make([]*scanner.Object, n)
	for i := range out {
		out[i] = user(prefix+pad(i+1), opts...)
	}
	return out
}

func clients(prefix string, n int) []*scanner.Object {
	out := make([]*scanner.Object, n)
	for i := range out {
		out[i] = computer(prefix+pad(i+1), "Windows 11 Pro", "10.0 (22631)")
	}
	return out
}

func pad(n int) string { return fmt.Sprintf("%04d", n) }

// inventory adds objects, reusing one Object value as a scanner does.
func inventory(objs ...[]*scanner.Object) *Inventory {
	inv := NewInventory()
	var reused scanner.Object
	for _, list := range objs {
		for _, o := range list {
			reused = *o
			inv.Add(&reused)
			reused = scanner.Object{DN: "garbage", SAMAccountName: "garbage", MemberOf: []string{"garbage"}}
		}
	}
	return inv
}

func objs(o ...*scanner.Object) []*scanner.Object { return o }

func userPolicy() Policy { return Policy{Model: ModelUser, StaleAfter: 90 * 24 * time.Hour} }

func evaluate(t *testing.T, p Policy, o ...[]*scanner.Object) *Result {
	t.Helper()
	return Evaluate(p, inventory(o...), testNow)
}

func findAccount(t *testing.T, accounts []Account, name string) Account {
	t.Helper()
	for _, a := range accounts {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no account %q", name)
	return Account{}
}

func findServer(t *testing.T, r *Result, name string) Server {
	t.Helper()
	for _, s := range r.Servers {
		if strings.EqualFold(s.Name, name) {
			return s
		}
	}
	t.Fatalf("no server %q in %+v", name, r.Servers)
	return Server{}
}

func findFinding(r *Result, code string) (Finding, bool) {
	for _, f := range r.Findings {
		if f.Code == code {
			return f, true
		}
	}
	return Finding{}, false
}

func findingCodes(r *Result) []string {
	out := make([]string, len(r.Findings))
	for i, f := range r.Findings {
		out[i] = f.Code
	}
	return out
}

// sameResult reports whether two Results say the same: the same report.json.
// (Results Evaluate builds keep inventory indices that differ with the order
// objects were read in; what they say does not.)
func sameResult(t *testing.T, a, b *Result) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(ja, jb)
}
