package adsim

import (
	"encoding/binary"
	"errors"
	"hash/maphash"
	"strconv"
	"strings"

	"github.com/jimlambrt/gldap"
)

// Paging state lives in the cookie, not on the server: the position where the
// next page starts, and a keyed hash of the query, so a cookie only continues
// the search that issued it, on the server that issued it.
type pageCookie struct {
	query uint64
	next  int
}

const cookieLen = 16

var errStaleCookie = errors.New("unknown or stale paged results cookie")

func (c pageCookie) encode() []byte {
	b := make([]byte, cookieLen)
	binary.BigEndian.PutUint64(b, c.query)
	binary.BigEndian.PutUint64(b[8:], uint64(c.next))
	return b
}

// decodeCookie checks a client's cookie against the query it came with.
func decodeCookie(b []byte, query uint64, entries int) (pageCookie, error) {
	if len(b) != cookieLen {
		return pageCookie{}, errStaleCookie
	}
	c := pageCookie{query: binary.BigEndian.Uint64(b), next: int(binary.BigEndian.Uint64(b[8:]))}
	if c.query != query || c.next < 0 || c.next > entries {
		return pageCookie{}, errStaleCookie
	}
	return c, nil
}

// queryHash identifies a search: base, scope, filter, attributes.
func queryHash(seed maphash.Seed, m *gldap.SearchMessage) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(strings.ToLower(canonicalDN(m.BaseDN)))
	h.WriteByte(0)
	h.WriteString(strconv.Itoa(int(m.Scope)))
	h.WriteByte(0)
	h.WriteString(m.Filter)
	for _, a := range m.Attributes {
		h.WriteByte(0)
		h.WriteString(strings.ToLower(a))
	}
	if m.TypesOnly {
		h.WriteByte(1)
	}
	return h.Sum64()
}

// pagingControl returns the request's paged results control, if any.
func pagingControl(m *gldap.SearchMessage) *gldap.ControlPaging {
	for _, c := range m.Controls {
		if p, ok := c.(*gldap.ControlPaging); ok {
			return p
		}
	}
	return nil
}

// criticalUnsupported returns the OID of a critical control the server does
// not implement ("" if none): AD answers unavailableCriticalExtension.
func criticalUnsupported(m *gldap.SearchMessage) string {
	for _, c := range m.Controls {
		if s, ok := c.(*gldap.ControlString); ok && s.Criticality {
			return s.ControlType
		}
	}
	return ""
}
