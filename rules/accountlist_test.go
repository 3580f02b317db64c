package rules

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/calscan/calscan/scanner"
)

// The accounts Evaluate builds on demand are the accounts it decided: every
// field, in order, whichever way they are read.
func TestAccountsFromEvaluate(t *testing.T) {
	t.Parallel()
	p := userPolicy()
	p.ExcludeAccounts = []string{"svc-*"}
	r := evaluate(t, p, objs(
		user("ann", withSID("1105"), func(o *scanner.Object) { o.DisplayName, o.UserPrincipalName = "Ann <b>", "ann@corp.example.com" }),
		user("svc-backup"),
		user("old", disabled),
		user("bob", rdsIssued("393216", testNow.AddDate(0, 2, 0), "LS01")),
		computer("PC1", "Windows 11 Pro", "10.0 (22631)", withSID("2001")),
		server("FS01", "Windows Server 2022 Standard"),
	))
	want := []Account{
		{Domain: "corp", Name: "ann", DisplayName: "Ann <b>", UPN: "ann@corp.example.com", DN: "CN=ann,OU=Staff,DC=corp,DC=example,DC=com",
			SID: testDomainSID + "-1105", LastLogon: daysAgo(1), Created: daysAgo(400), Counted: true, CALType: CALUser, CALVersion: "2022"},
		{Domain: "corp", Name: "bob", DN: "CN=bob,OU=Staff,DC=corp,DC=example,DC=com", LastLogon: daysAgo(1), Created: daysAgo(400),
			Counted: true, CALType: CALUser, CALVersion: "2022",
			RDS: &AccountRDS{IssuedVersion: "393216", IssuedExpires: testNow.AddDate(0, 2, 0), LicenseServer: "LS01"}},
		{Domain: "corp", Name: "old", DN: "CN=old,OU=Staff,DC=corp,DC=example,DC=com", LastLogon: daysAgo(1), Created: daysAgo(400),
			Excluded: ReasonDisabled},
		{Domain: "corp", Name: "svc-backup", DN: "CN=svc-backup,OU=Staff,DC=corp,DC=example,DC=com", LastLogon: daysAgo(1), Created: daysAgo(400),
			Excluded: ReasonExcludedAccount},
	}
	if r.Users.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", r.Users.Len(), len(want))
	}
	for i, a := range r.Users.All() {
		if !reflect.DeepEqual(a, want[i]) || !reflect.DeepEqual(r.Users.At(i), want[i]) {
			t.Errorf("user %d = %+v, want %+v", i, a, want[i])
		}
	}
	if got := r.Users.List(); !reflect.DeepEqual(got, want) {
		t.Errorf("List = %+v", got)
	}
	pc := r.Devices.At(0)
	if r.Devices.Len() != 1 || pc.Name != "PC1" || pc.DNSName != "pc1.corp.example.com" || pc.OperatingSystem != "Windows 11 Pro" ||
		pc.SID != testDomainSID+"-2001" || pc.UPN != "" || !pc.Counted {
		t.Errorf("devices = %+v", r.Devices.List())
	}

	// List of an evaluated Result is a copy: changing it changes nothing.
	r.Users.List()[0].Name = "changed"
	if r.Users.At(0).Name != "ann" {
		t.Error("List shares the Result's accounts")
	}

	// JSON: the same array as encoding/json makes of the accounts themselves,
	// HTML characters left to the caller's encoder; and back.
	got, err := json.Marshal(r.Users)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := json.Marshal(want)
	if string(got) != string(plain) {
		t.Errorf("MarshalJSON:\n%s\nwant\n%s", got, plain)
	}
	var back Accounts
	if err := json.Unmarshal(got, &back); err != nil || !reflect.DeepEqual(back.List(), want) {
		t.Errorf("decoded %+v (%v)", back.List(), err)
	}
	if err := json.Unmarshal([]byte("null"), &back); err != nil || back.Len() != 0 {
		t.Errorf("null decodes to %d accounts (%v)", back.Len(), err)
	}

	// All stops when asked to.
	n := 0
	for range r.Users.All() {
		n++
		break
	}
	if n != 1 {
		t.Errorf("All yielded %d after break", n)
	}
}

// A list given as a slice is that slice: changes show through.
func TestNewAccountsSharesTheList(t *testing.T) {
	t.Parallel()
	list := []Account{{Name: "a"}, {Name: "b"}}
	a := NewAccounts(list)
	a.List()[1].Name = "B"
	if list[1].Name != "B" || a.At(1).Name != "B" || a.Len() != 2 {
		t.Errorf("list %+v, At(1) %+v", list, a.At(1))
	}
	var empty Accounts
	if b, err := json.Marshal(empty); err != nil || string(b) != "[]" || empty.List() != nil {
		t.Errorf("zero Accounts = %s (%v)", b, err)
	}
}
