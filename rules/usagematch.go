package rules

import (
	"slices"
	"strings"
)

// usageEvidence is usage_csv resolved against the accounts: the pairs whose
// user and device are both counted, by device.
type usageEvidence struct {
	deviceStart []int32 // CSR over Result.Devices: users of device k are users[deviceStart[k]:deviceStart[k+1]]
	users       []int32 // indices in Result.Users

	pairs          int      // distinct counted pairs
	ignored        int      // pairs naming an unknown, excluded or server account
	unknownUsers   []string // names in the file that match no user, or several
	unknownDevices []string
}

// usersOf lists the counted users seen on counted device k; ok is false
// when the evidence says nothing about the device.
func (u *usageEvidence) usersOf(k int) ([]int32, bool) {
	if u == nil || u.deviceStart == nil {
		return nil, false
	}
	users := u.users[u.deviceStart[k]:u.deviceStart[k+1]]
	return users, len(users) > 0
}

// Name resolution outcomes besides an account index.
const (
	unresolved = -1 // no account has the name, or several do
	notCounted = -2 // an account that needs no licence here: excluded, or a server (R10)
)

// resolveUsage matches the usage evidence's names to accounts. Names that
// match nothing (or several accounts) are listed; their pairs are ignored.
func (e *evaluation) resolveUsage() *usageEvidence {
	u := e.p.Usage
	if u == nil || len(u.pairs) == 0 {
		return nil
	}
	ev := &usageEvidence{}
	userAt := e.resolveUsers(u.users)
	deviceAt := e.resolveDevices(u.devices)
	for id, at := range userAt {
		if at == unresolved {
			ev.unknownUsers = append(ev.unknownUsers, u.users[id])
		}
	}
	for id, at := range deviceAt {
		if at == unresolved {
			ev.unknownDevices = append(ev.unknownDevices, u.devices[id])
		}
	}
	type edge struct{ device, user int32 }
	var edges []edge
	for _, p := range u.pairs {
		ua, da := userAt[p.user], deviceAt[p.device]
		if ua < 0 || da < 0 || !e.userRows[ua].Counted || !e.deviceRows[da].Counted {
			ev.ignored++
			continue
		}
		edges = append(edges, edge{da, ua})
	}
	slices.SortFunc(edges, func(a, b edge) int {
		if a.device != b.device {
			return int(a.device - b.device)
		}
		return int(a.user - b.user)
	})
	edges = slices.Compact(edges) // two spellings of one account
	ev.pairs = len(edges)
	ev.deviceStart = make([]int32, len(e.deviceRows)+1)
	ev.users = make([]int32, len(edges))
	for k, ed := range edges {
		ev.deviceStart[ed.device+1]++
		ev.users[k] = ed.user
	}
	for k := range len(e.deviceRows) {
		ev.deviceStart[k+1] += ev.deviceStart[k]
	}
	return ev
}

// resolveUsers maps usage user names (lower case) to Result.Users indices:
// DOMAIN\name and plain names by sAMAccountName, name@suffix by UPN. A
// DOMAIN\ prefix picks among accounts of the same name in several domains by
// directory name or the first DC label of the DN.
func (e *evaluation) resolveUsers(names []string) []int32 {
	type want struct {
		domain, sam, upn string
	}
	wants := make([]want, len(names))
	samIDs, upnIDs := map[string]int32{}, map[string]int32{}
	for i, n := range names {
		w := want{}
		switch {
		case strings.Contains(n, `\`):
			k := strings.LastIndexByte(n, '\\')
			w.domain, w.sam = n[:k], n[k+1:]
		case strings.Contains(n, "@"):
			w.upn = n
		default:
			w.sam = n
		}
		wants[i] = w
		if w.sam != "" {
			samIDs[w.sam] = int32(len(samIDs))
		}
		if w.upn != "" {
			upnIDs[w.upn] = int32(len(upnIDs))
		}
	}
	bySAM, byUPN := make([][]int32, len(samIDs)), make([][]int32, len(upnIDs))
	var buf []byte
	for k := range e.userRows {
		a := e.user(k)
		buf = appendLower(buf[:0], a.Name)
		if id, ok := samIDs[string(buf)]; ok {
			bySAM[id] = append(bySAM[id], int32(k))
		}
		if a.UPN != "" && len(upnIDs) > 0 {
			buf = appendLower(buf[:0], a.UPN)
			if id, ok := upnIDs[string(buf)]; ok {
				byUPN[id] = append(byUPN[id], int32(k))
			}
		}
	}
	out := make([]int32, len(names))
	for i, w := range wants {
		var candidates []int32
		switch {
		case w.upn != "":
			candidates = byUPN[upnIDs[w.upn]]
		case w.sam != "":
			candidates = bySAM[samIDs[w.sam]]
		}
		if w.domain != "" && len(candidates) > 1 {
			candidates = slices.DeleteFunc(slices.Clone(candidates), func(k int32) bool {
				return !accountInDomain(e.user(int(k)), w.domain)
			})
		}
		out[i] = e.userOutcome(candidates)
	}
	return out
}

func (e *evaluation) userOutcome(candidates []int32) int32 {
	switch {
	case len(candidates) != 1:
		return unresolved
	case !e.userRows[candidates[0]].Counted:
		return notCounted
	}
	return candidates[0]
}

// accountInDomain: the NetBIOS domain name is not in the directory data calscan
// reads, so DOMAIN is compared with the [[directory]] name and the DN's first
// DC label, which usually match it.
func accountInDomain(a Account, domain string) bool {
	if strings.EqualFold(a.Domain, domain) {
		return true
	}
	for _, rdn := range strings.Split(a.DN, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(rdn), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "dc") {
			return strings.EqualFold(strings.TrimSpace(v), domain)
		}
	}
	return false
}

// resolveDevices maps usage device names (lower case, no "$") to
// Result.Devices indices by computer name or dNSHostName; an FQDN that
// matches no dNSHostName falls back to its first label. Names of servers
// resolve to notCounted: servers are not client devices (R10).
func (e *evaluation) resolveDevices(names []string) []int32 {
	ids := map[string]int32{}
	for _, n := range names {
		for _, key := range deviceLookupKeys(n) {
			if _, ok := ids[key]; !ok {
				ids[key] = int32(len(ids))
			}
		}
	}
	found := make([][]int32, len(ids))
	var buf []byte
	for k := range e.deviceRows {
		a := e.device(k)
		for _, s := range [2]string{a.Name, a.DNSName} {
			if s == "" {
				continue
			}
			buf = appendLower(buf[:0], s)
			if id, ok := ids[string(buf)]; ok && !slices.Contains(found[id], int32(k)) {
				found[id] = append(found[id], int32(k))
			}
		}
	}
	servers := map[string]bool{}
	for _, s := range e.res.Servers {
		servers[strings.ToLower(s.Name)] = true
		if s.DNSName != "" {
			servers[strings.ToLower(s.DNSName)] = true
		}
	}
	out := make([]int32, len(names))
	for i, n := range names {
		out[i] = unresolved
		for _, key := range deviceLookupKeys(n) {
			candidates := found[ids[key]]
			if len(candidates) == 1 && !e.deviceRows[candidates[0]].Counted {
				out[i] = notCounted
				break
			}
			if len(candidates) == 1 {
				out[i] = candidates[0]
				break
			}
			if len(candidates) == 0 && servers[key] {
				out[i] = notCounted
				break
			}
			if len(candidates) > 1 {
				break
			}
		}
	}
	return out
}

// deviceLookupKeys: the name itself, then for an FQDN its first label.
func deviceLookupKeys(n string) []string {
	if host, _, ok := strings.Cut(n, "."); ok && host != "" {
		return []string{n, host}
	}
	return []string{n}
}

// appendLower appends s lower-cased as strings.ToLower would, without
// allocating for ASCII names.
func appendLower(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return append(buf, strings.ToLower(s)...)
		}
	}
	for i := 0; i < len(s); i++ {
		buf = append(buf, lowerASCII(s[i]))
	}
	return buf
}
