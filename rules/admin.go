package rules

import (
	"slices"
	"strings"
)

// maxAdminExempt is how many administrators may go without CALs (R5).
const maxAdminExempt = 2

// adminExemption decides R5 for the users that reach the admin_exempt check.
// The slots go to admin_exempt names in config order (then domain, then DN),
// so the outcome does not depend on the order directories were read in.
type adminExemption struct {
	names    []string       // admin_exempt as configured, without repeats
	position map[string]int // lower-cased name -> index in names
	found    []bool         // by position: some user has this name

	exempt    map[int]bool // user indices exempted
	overLimit []int        // user indices named but counted: no slot left
}

func newAdminExemption(names []string) *adminExemption {
	a := &adminExemption{position: map[string]int{}, exempt: map[int]bool{}}
	for _, n := range names {
		key := strings.ToLower(strings.TrimSpace(n))
		if _, dup := a.position[key]; dup || key == "" {
			continue
		}
		a.position[key] = len(a.names)
		a.names = append(a.names, n)
	}
	a.found = make([]bool, len(a.names))
	return a
}

// named reports whether a user of this name is listed, and notes it as found.
func (a *adminExemption) named(name string) bool {
	if len(a.names) == 0 {
		return false
	}
	pos, ok := a.position[strings.ToLower(name)]
	if ok {
		a.found[pos] = true
	}
	return ok
}

// decide gives the slots to candidates (indices into users that passed every
// earlier exclusion and are named).
func (a *adminExemption) decide(users []userRecord, candidates []int) {
	slices.SortFunc(candidates, func(i, j int) int {
		ui, uj := &users[i], &users[j]
		if c := a.position[strings.ToLower(ui.name())] - a.position[strings.ToLower(uj.name())]; c != 0 {
			return c
		}
		if c := strings.Compare(ui.domain, uj.domain); c != 0 {
			return c
		}
		return strings.Compare(ui.dn(), uj.dn())
	})
	for n, i := range candidates {
		if n < maxAdminExempt {
			a.exempt[i] = true
		} else {
			a.overLimit = append(a.overLimit, i)
		}
	}
}

// notFound are the names that match no user at all.
func (a *adminExemption) notFound() []string {
	var out []string
	for i, n := range a.names {
		if !a.found[i] {
			out = append(out, n)
		}
	}
	return out
}
