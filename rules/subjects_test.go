package rules

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSubjectListMatchesCapSubjects(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	domains := []string{"", "a", "corp", "corp2", "cor", "b\\x"}
	names := []string{"ann", "Ann", "bob", "a", "", "zed", "x\\y", "ann2"}
	for c := range 200 {
		multi := c%2 == 0
		n := rng.IntN(140)
		t.Run(fmt.Sprintf("A2 %d accounts, several domains %v", n, multi), func(t *testing.T) {
			s := &subjectList{multiDomain: multi}
			var labels []string
			for range n {
				d, name := domains[rng.IntN(len(domains))], names[rng.IntN(len(names))]+fmt.Sprint(rng.IntN(30))
				s.add(d, name)
				if multi && d != "" {
					labels = append(labels, d+`\`+name)
				} else {
					labels = append(labels, name)
				}
			}
			if got, want := s.subjects(), capSubjects(labels); !slices.Equal(got, want) {
				t.Errorf("subjects = %q\nwant %q", got, want)
			}
		})
	}
}
