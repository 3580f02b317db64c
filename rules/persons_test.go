package rules

import (
	"strings"
	"testing"

	"github.com/calscan/calscan/scanner"
)

func TestR2SecondAccounts(t *testing.T) {
	tests := []struct {
		name     string
		model    Model
		users    []*scanner.Object
		subjects []string // nil: no finding
	}{
		{"R2 adm- prefix beside the everyday account", ModelUser,
			objs(user("jdoe"), user("adm-jdoe"), user("asmith")), []string{"adm-jdoe (jdoe)"}},
		{"R2 suffixes and case", ModelUser,
			objs(user("JDoe"), user("jdoe_admin"), user("asmith"), user("asmith.adm")), []string{"asmith.adm (asmith)", "jdoe_admin (jdoe)"}},
		{"R2 no everyday account: a lone admin account is a person", ModelUser,
			objs(user("adm-jdoe"), user("asmith")), nil},
		{"R2 the everyday account is disabled: nothing to merge", ModelUser,
			objs(user("jdoe", func(o *scanner.Object) { o.UserAccountControl |= scanner.UACAccountDisable }), user("adm-jdoe")), nil},
		{"R2 different domains are different people as far as calscan knows", ModelUser,
			objs(user("jdoe"), user("adm-jdoe", func(o *scanner.Object) { o.Domain = "lab" })), nil},
		{"R2 names that merely contain the affix", ModelUser,
			objs(user("adam"), user("a"), user("admin")), nil},
		{"R2 device model: users need no CAL, nothing to say", ModelDevice,
			objs(user("jdoe"), user("adm-jdoe")), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := userPolicy()
			p.Model = tt.model
			r := evaluate(t, p, tt.users)
			f, ok := findFinding(r, CodeSecondAccounts)
			if tt.subjects == nil {
				if ok {
					t.Fatalf("unexpected finding: %+v", f)
				}
				return
			}
			if !ok {
				t.Fatalf("no %s finding; findings: %v", CodeSecondAccounts, findingCodes(r))
			}
			if strings.Join(f.Subjects, "|") != strings.Join(tt.subjects, "|") || f.Rule != "R2" || f.Severity != SeverityInfo {
				t.Errorf("finding = %+v, want subjects %v", f, tt.subjects)
			}
			// Conservative: the second accounts are still counted.
			if r.Counts.UsersCounted != len(tt.users) {
				t.Errorf("users counted = %d, want all %d", r.Counts.UsersCounted, len(tt.users))
			}
		})
	}
}
