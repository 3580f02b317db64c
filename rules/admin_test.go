package rules

import (
	"slices"
	"testing"

	"github.com/calscan/calscan/scanner"
)

func TestAdminExempt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		exempt       []string
		objects      []*scanner.Object
		wantExempt   []string // account labels exempted
		wantOver     []string // subjects of ADMIN_EXEMPT_OVER_LIMIT; nil: no finding
		wantNotFound []string // subjects of ADMIN_EXEMPT_NOT_FOUND; nil: no finding
	}{
		{"R5 two named admins are exempt", []string{"adm1", "adm2"},
			objs(user("adm1"), user("adm2"), user("ann")),
			[]string{"adm1", "adm2"}, nil, nil},
		{"R5 three named: the first two in config order are exempt", []string{"adm3", "adm1", "adm2"},
			objs(user("adm1"), user("adm2"), user("adm3")),
			[]string{"adm1", "adm3"}, []string{"adm2"}, nil},
		{"R5 three named, one disabled: two found are exempt but the list is still over the limit", []string{"adm1", "adm2", "adm3"},
			objs(user("adm1", disabled), user("adm2"), user("adm3")),
			[]string{"adm2", "adm3"}, []string{"adm3"}, nil},
		{"R5 one name in two domains fills both slots", []string{"Administrator", "adm2"},
			objs(user("Administrator", inDomain("b")), user("administrator", inDomain("a")), user("adm2", inDomain("a"))),
			[]string{`a\administrator`, `b\Administrator`}, []string{`a\adm2`}, nil},
		{"R5 a name that matches no user is reported", []string{"adm1", "nobody"},
			objs(user("adm1")),
			[]string{"adm1"}, nil, []string{"nobody"}},
		{"R5 a disabled admin is found, not reported missing", []string{"adm1"},
			objs(user("adm1", disabled)),
			nil, nil, nil},
		{"R5 repeated names count once", []string{"adm1", "ADM1"},
			objs(user("adm1")),
			[]string{"adm1"}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.AdminExempt = tc.exempt
			r := evaluate(t, p, tc.objects)
			var exempt []string
			multi := len(r.Directories) > 1
			for _, u := range r.Users.All() {
				if u.Excluded == ReasonAdminExempt {
					label := u.Name
					if multi {
						label = u.Domain + `\` + u.Name
					}
					exempt = append(exempt, label)
				}
			}
			if !slices.Equal(exempt, tc.wantExempt) {
				t.Errorf("exempt = %v, want %v", exempt, tc.wantExempt)
			}
			checkSubjects(t, r, CodeAdminExemptOverLimit, tc.wantOver)
			checkSubjects(t, r, CodeAdminExemptNotFound, tc.wantNotFound)
		})
	}
}

func TestAdminExemptIgnoresScanOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		order []*scanner.Object
	}{
		{"R5 admins read first", objs(user("adm3"), user("adm2"), user("adm1"))},
		{"R5 admins read last", objs(user("adm1"), user("adm2"), user("adm3"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.AdminExempt = []string{"adm2", "adm3", "adm1"}
			r := evaluate(t, p, tc.order)
			if a := findAccount(t, r.Users.List(), "adm1"); !a.Counted {
				t.Errorf("adm1 (third in admin_exempt) should be counted, got %q", a.Excluded)
			}
		})
	}
}

// checkSubjects asserts a finding's subjects, or its absence when want is nil.
func checkSubjects(t *testing.T, r *Result, code string, want []string) {
	t.Helper()
	f, ok := findFinding(r, code)
	switch {
	case want == nil && ok:
		t.Errorf("unexpected %s: %+v", code, f)
	case want != nil && !ok:
		t.Errorf("no %s finding; findings %v", code, findingCodes(r))
	case ok && !slices.Equal(f.Subjects, want):
		t.Errorf("%s subjects = %v, want %v", code, f.Subjects, want)
	}
}
