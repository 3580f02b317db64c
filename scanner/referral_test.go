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

func TestReferralsNeitherFailNorHang(t *testing.T) {
	t.Parallel()
	const (
		baseDN   = "DC=corp,DC=example,DC=test"
		otherDN  = "DC=emea,DC=corp,DC=example,DC=test"
		childRef = "ldap://emea.corp.example.test/DC=emea,DC=corp,DC=example,DC=test"
	)
	search := func(base, filter string) fakeResult {
		if strings.EqualFold(base, otherDN) {
			return fakeResult{code: ldap.LDAPResultReferral,
				diagnostic: "0000202B: RefErr: DSID-0310084A, data 0, 1 access points\n\tref 1: 'emea.corp.example.test'\n"}
		}
		res := oneOfEach(base, filter)
		res.references = []string{childRef, "ldap://corp.example.test/CN=Configuration," + baseDN}
		return res
	}
	tests := []struct {
		name   string
		baseDN string
		want   []string // in the error; none: the scan succeeds
	}{
		{name: "continuation references are logged and skipped", baseDN: baseDN},
		{name: "a base DN held elsewhere fails with advice", baseDN: otherDN,
			want: []string{"does not hold the base DN", "Global Catalog", "Referral"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dc := startFakeDC(t, fakeCorp, search)
			opts := scanner.LDAPOptions{Name: "corp", URL: dc.url(), BaseDN: tt.baseDN,
				Bind: scanner.BindSimple, BindDN: testBindDN, Password: testPassword, Timeout: 10 * time.Second}
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			logs := &syncBuffer{}
			got, err := scan(ctx, t, opts, zerolog.New(logs).Level(zerolog.DebugLevel))
			if ctx.Err() != nil {
				t.Fatalf("the scan was still running after a minute: %v", err)
			}
			if len(tt.want) > 0 {
				t.Logf("error: %v", err)
				var de *scanner.DirectoryError
				if !errors.As(err, &de) || de.Op != "search" {
					t.Fatalf("error %v, want a search DirectoryError", err)
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			if len(got.byDN) != 3 {
				t.Errorf("scanned %v, want the three entries", got.counts)
			}
			followed := strings.Count(logs.String(), `"level":"debug","search":"users","referral":"`+childRef+`","message":"referral not followed"`)
			if followed != 1 {
				t.Errorf("the users search logged the child-domain referral %d times at debug, want once:\n%s", followed, logs)
			}
		})
	}
}
