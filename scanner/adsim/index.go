package adsim

import (
	"errors"
	"fmt"
	"strings"
)

// index is a Directory prepared for searching, built once at Start: canonical
// DNs, a case-insensitive DN lookup and the spellings of every attribute name,
// so a search never copies entries or lower-cases attribute maps.
type index struct {
	baseDN    string   // canonical
	entries   []*Entry // snapshot of Directory.Entries
	dns       []string // canonical DN of each entry
	byDN      map[string]int
	spellings map[string][]string // lower-cased attribute name → spellings used
	rootDSE   *Entry
}

func newIndex(d *Directory) (*index, error) {
	if d == nil {
		return nil, errors.New("no directory")
	}
	base := canonicalDN(d.BaseDN)
	if base == "" {
		return nil, errors.New("directory has no base DN")
	}
	ix := &index{
		baseDN:    base,
		entries:   append([]*Entry(nil), d.Entries...),
		dns:       make([]string, len(d.Entries)),
		byDN:      make(map[string]int, len(d.Entries)),
		spellings: make(map[string][]string),
		rootDSE:   rootDSE(d),
	}
	seen := make(map[string]struct{})
	addNames := func(e *Entry) {
		for name := range e.Attrs {
			if _, ok := seen[name]; ok {
				continue
			}
			seen[name] = struct{}{}
			low := strings.ToLower(name)
			ix.spellings[low] = append(ix.spellings[low], name)
		}
	}
	var key []byte
	for i, e := range ix.entries {
		if e == nil {
			return nil, fmt.Errorf("entry %d is nil", i)
		}
		dn := canonicalDN(e.DN)
		if !strings.EqualFold(dn, base) && !isBelow(dn, base) {
			return nil, fmt.Errorf("entry %q is not under the base DN %q", e.DN, d.BaseDN)
		}
		key = foldKey(key[:0], dn)
		if _, dup := ix.byDN[string(key)]; dup {
			return nil, fmt.Errorf("duplicate entry %q", e.DN)
		}
		ix.byDN[string(key)] = i
		ix.dns[i] = dn
		addNames(e)
	}
	addNames(ix.rootDSE)
	return ix, nil
}

// names is every spelling of an attribute name used in the directory.
func (ix *index) names(attr string) []string {
	return ix.spellings[strings.ToLower(attr)]
}

// lookup finds the entry with canonical DN dn; buf is scratch space.
func (ix *index) lookup(buf []byte, dn string) (int, []byte) {
	buf = foldKey(buf[:0], dn)
	i, ok := ix.byDN[string(buf)]
	if !ok {
		return -1, buf
	}
	return i, buf
}

// values returns the values of the first spelling e holds.
func values(e *Entry, names []string) []string {
	for _, n := range names {
		if v, ok := e.Attrs[n]; ok {
			return v
		}
	}
	return nil
}
