package scanner_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
	"github.com/rs/zerolog"

	"github.com/calscan/calscan/scanner"
)

var fakeCorp = fakeAccount{
	DN: testBindDN, Domain: "CORP", User: "svc-calscan", UPN: "svc-calscan@corp.example.test", Password: testPassword,
}

// oneOfEach answers each of the scan's searches with one account of its kind.
func oneOfEach(_, filter string) fakeResult {
	entry := func(dn, sam string, classes ...string) fakeResult {
		return fakeResult{entries: []*ldap.Entry{ldap.NewEntry(dn, map[string][]string{
			"sAMAccountName": {sam}, "objectClass": classes, "userAccountControl": {"512"},
		})}}
	}
	switch {
	case strings.Contains(filter, "objectCategory=person"):
		return entry("CN=Ann,OU=Staff,DC=corp,DC=example,DC=test", "ann", "top", "user")
	case strings.Contains(filter, "objectCategory=computer"):
		return entry("CN=WS01,OU=Workstations,DC=corp,DC=example,DC=test", "WS01$", "top", "user", "computer")
	}
	return entry("CN=Staff,OU=Groups,DC=corp,DC=example,DC=test", "Staff", "top", "group")
}

func TestNTLMBind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		bindDN    string
		password  string
		want      []string // in the error; none: the scan succeeds
		wantBinds string   // how the fake DC saw the binds
	}{
		{name: `DOMAIN\user`, bindDN: `CORP\svc-calscan`, password: testPassword, wantBinds: "ntlm"},
		{name: "user@domain", bindDN: "svc-calscan@corp.example.test", password: testPassword, wantBinds: "ntlm"},
		{name: "domain in lower case", bindDN: `corp\svc-calscan`, password: testPassword, wantBinds: "ntlm"},
		{name: "wrong password", bindDN: `CORP\svc-calscan`, password: "Wr0ng-Horse",
			want: []string{"ntlm bind", "52e", "wrong password"}, wantBinds: "ntlm-failed"},
		{name: "unknown domain", bindDN: `OTHER\svc-calscan`, password: testPassword,
			want: []string{"52e"}, wantBinds: "ntlm-failed"},
		{name: "bare account name", bindDN: "svc-calscan", password: testPassword,
			want: []string{"not a Windows account name", `DOMAIN\user or user@domain`}},
		{name: "no password", bindDN: `CORP\svc-calscan`, password: "", want: []string{"needs a password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dc := startFakeDC(t, fakeCorp, oneOfEach)
			opts := scanner.LDAPOptions{Name: "corp", URL: dc.url(), BaseDN: "DC=corp,DC=example,DC=test",
				Bind: scanner.BindNTLM, BindDN: tt.bindDN, Password: tt.password, Timeout: 10 * time.Second}
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			logs := &syncBuffer{}
			got, err := scan(ctx, t, opts, zerolog.New(logs).Level(zerolog.DebugLevel))
			for _, b := range dc.bindLog() {
				if b != tt.wantBinds {
					t.Errorf("the DC saw binds %v, want each %q", dc.bindLog(), tt.wantBinds)
					break
				}
			}
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Scan: %v", err)
				}
				if got.counts[scanner.KindUser] != 1 || got.counts[scanner.KindComputer] != 1 || got.counts[scanner.KindGroup] != 1 {
					t.Errorf("scanned %v, want one of each kind", got.counts)
				}
				if len(dc.bindLog()) != 3 {
					t.Errorf("the DC saw %d binds, want one per search connection (3)", len(dc.bindLog()))
				}
				return
			}
			t.Logf("error: %v", err)
			var de *scanner.DirectoryError
			if !errors.As(err, &de) || de.Op != "bind" {
				t.Fatalf("error %v, want a bind DirectoryError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if tt.password != "" && strings.Contains(err.Error()+logs.String(), tt.password) {
				t.Error("the password leaked into the error or the logs")
			}
		})
	}
}
