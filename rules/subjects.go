package rules

import (
	"fmt"
	"slices"
	"strings"
)

// subjectList gathers account subjects as capSubjects gives them (the first
// maxSubjects labels in sorted order, then "… and N more") without building
// a label for every account of a large directory.
type subjectList struct {
	multiDomain bool
	kept        []string // sorted, at most maxSubjects
	n           int
}

func (e *evaluation) newSubjectList() *subjectList { return &subjectList{multiDomain: e.multiDomain} }

// add counts an account and keeps its label if it is among the first.
func (s *subjectList) add(domain, name string) {
	s.n++
	if len(s.kept) == maxSubjects && s.compare(domain, name, s.kept[maxSubjects-1]) >= 0 {
		return
	}
	label := name
	if s.multiDomain && domain != "" {
		label = domain + `\` + name
	}
	i, _ := slices.BinarySearch(s.kept, label)
	s.kept = slices.Insert(s.kept, i, label)
	if len(s.kept) > maxSubjects {
		s.kept = s.kept[:maxSubjects]
	}
}

// compare orders an account's label against label without building it.
func (s *subjectList) compare(domain, name, label string) int {
	if !s.multiDomain || domain == "" {
		return strings.Compare(name, label)
	}
	if len(label) < len(domain) {
		if c := strings.Compare(domain[:len(label)], label); c != 0 {
			return c
		}
		return 1
	}
	if c := strings.Compare(domain, label[:len(domain)]); c != 0 {
		return c
	}
	rest := label[len(domain):]
	switch {
	case rest == "":
		return 1
	case rest[0] != '\\':
		return strings.Compare(`\`, rest[:1])
	}
	return strings.Compare(name, rest[1:])
}

func (s *subjectList) subjects() []string {
	out := append([]string{}, s.kept...)
	if s.n > len(out) {
		out = append(out, fmt.Sprintf("… and %s more", FormatCount(s.n-len(out))))
	}
	return out
}
