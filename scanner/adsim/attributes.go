package adsim

import (
	"strings"

	"github.com/jimlambrt/gldap"
)

// selection is the attributes a search asked for.
type selection struct {
	all   bool
	names [][]string // spellings of each requested attribute present in the directory
}

func (ix *index) selection(attrs []string) selection {
	if len(attrs) == 0 {
		return selection{all: true}
	}
	var sel selection
	seen := make(map[string]bool, len(attrs))
	for _, a := range attrs {
		switch a {
		case "*":
			sel.all = true
		case "1.1", "+":
			// no attributes; calscan's directory has no operational ones to add
		default:
			low := strings.ToLower(a)
			if seen[low] {
				continue
			}
			seen[low] = true
			if names := ix.spellings[low]; len(names) > 0 {
				sel.names = append(sel.names, names)
			}
		}
	}
	return sel
}

func entryResponse(r *gldap.Request, e *Entry, sel selection, typesOnly bool) *gldap.SearchResponseEntry {
	resp := r.NewSearchResponseEntry(e.DN)
	add := func(name string, vals []string) {
		if typesOnly {
			vals = nil
		}
		resp.AddAttribute(name, vals)
	}
	if sel.all {
		for name, vals := range e.Attrs {
			if len(vals) > 0 {
				add(name, vals)
			}
		}
		return resp
	}
	for _, names := range sel.names {
		for _, n := range names {
			if vals, ok := e.Attrs[n]; ok && len(vals) > 0 {
				add(n, vals)
				break
			}
		}
	}
	return resp
}
