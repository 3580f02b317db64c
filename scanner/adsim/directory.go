package adsim

import "strings"

// Entry is one directory object: attribute names as AD spells them (matched
// case-insensitively), values as raw strings (binary values such as objectSid
// hold the raw bytes).
type Entry struct {
	DN    string
	Attrs map[string][]string
}

// Directory is a domain naming context: every entry is the base or below it.
// Start takes a snapshot of the entry list; entries must not change while a
// Server serves them.
type Directory struct {
	BaseDN    string
	DNSDomain string
	Entries   []*Entry
}

// dnsDomain is the directory's DNS name, derived from the DC= components of
// the base DN when DNSDomain is empty.
func (d *Directory) dnsDomain() string {
	if d.DNSDomain != "" {
		return d.DNSDomain
	}
	var labels []string
	for _, rdn := range splitRDNs(canonicalDN(d.BaseDN)) {
		if typ, value, ok := strings.Cut(rdn, "="); ok && strings.EqualFold(typ, "DC") {
			labels = append(labels, value)
		}
	}
	return strings.ToLower(strings.Join(labels, "."))
}

// attrValues returns the values of one attribute of e, matched
// case-insensitively, without an index (for tests and small lookups).
func attrValues(e *Entry, name string) []string {
	if v, ok := e.Attrs[name]; ok {
		return v
	}
	for k, v := range e.Attrs {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}
