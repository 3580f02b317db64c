package report

import (
	"bufio"
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/calscan/calscan/rules"
)

// plainView is an account's view as plain strings: what accountViews keeps,
// as the comparison used to keep it.
type plainView struct {
	Domain, Name, DisplayName, SID string
	Excluded                       rules.Reason
	Counted                        bool
}

// plainViews is the view of every account, straight from the accounts.
func plainViews(accounts rules.Accounts) []plainView {
	out := []plainView{}
	for _, a := range accounts.All() {
		out = append(out, plainView{a.Domain, a.Name, a.DisplayName, a.SID, a.Excluded, a.Counted})
	}
	return out
}

// plain reads every view back through the accessors.
func (v *accountViews) plain() []plainView {
	out := []plainView{}
	for i := range v.len() {
		name, displayName, sid := v.text(i)
		if name != v.name(i) || sid != v.sid(i) {
			panic("text and name or sid disagree")
		}
		out = append(out, plainView{v.domain(i), name, displayName, sid, v.excluded(i), v.counted(i)})
	}
	return out
}

// refDiffAccounts is the account comparison as it was with maps keyed by strings: the
// reference the compact version must agree with in every case.
func refDiffAccounts(prev []plainView, cur rules.Accounts) AccountChanges {
	type key struct{ domain, id string }
	ch := AccountChanges{Added: []AccountRef{}, Removed: []AccountRef{}, NowReclaimable: []AccountRef{}, NowCounted: []AccountRef{}}
	bySID := make(map[key]int, len(prev))
	byName := make(map[key]int, len(prev))
	for i := range prev {
		a := &prev[i]
		domain := strings.ToLower(a.Domain)
		if a.SID != "" {
			bySID[key{domain, a.SID}] = i
		}
		byName[key{domain, strings.ToLower(a.Name)}] = i
	}
	match := func(a *rules.Account) (int, bool) {
		domain := strings.ToLower(a.Domain)
		if a.SID != "" {
			if j, ok := bySID[key{domain, a.SID}]; ok {
				return j, true
			}
		}
		j, ok := byName[key{domain, strings.ToLower(a.Name)}]
		if !ok || (a.SID != "" && prev[j].SID != "") {
			return 0, false
		}
		return j, true
	}
	matched := make([]bool, len(prev))
	for _, acc := range cur.All() {
		a := &acc
		j, ok := match(a)
		if !ok || matched[j] {
			ch.Added = append(ch.Added, accountRef(a))
			continue
		}
		matched[j] = true
		was := &prev[j]
		switch {
		case was.Counted && !a.Counted && a.Excluded.Reclaimable():
			ch.NowReclaimable = append(ch.NowReclaimable, accountRef(a))
		case !was.Counted && a.Counted:
			ch.NowCounted = append(ch.NowCounted, accountRef(a))
		}
	}
	for j := range prev {
		if !matched[j] {
			p := &prev[j]
			ch.Removed = append(ch.Removed, AccountRef{Domain: p.Domain, Name: p.Name, DisplayName: p.DisplayName, SID: p.SID, Excluded: p.Excluded})
		}
	}
	return ch
}

func TestViewRecordIs16Bytes(t *testing.T) {
	if n := unsafe.Sizeof(viewRecord{}); n != 16 {
		t.Errorf("viewRecord is %d bytes", n)
	}
}

func TestAccountViews(t *testing.T) {
	many := func(n int) []rules.Account {
		out := manyAccounts(n, "user")
		for i := range out {
			out[i].Domain = []string{"corp", "CORP", "lab"}[i%3]
			if i%7 == 0 {
				out[i].SID, out[i].DisplayName = "", ""
			}
		}
		return out
	}
	long := strings.Repeat("x", 1<<16)
	tests := []struct {
		name     string
		accounts []rules.Account
	}{
		{"none", nil},
		{"one", many(1)},
		{"a chunk less one", many(1<<viewChunkShift - 1)},
		{"a chunk", many(1 << viewChunkShift)},
		{"a chunk and one", many(1<<viewChunkShift + 1)},
		{"several chunks", many(3<<viewChunkShift + 17)},
		{"empty strings", []rules.Account{{}, {Counted: true}, {Name: "a"}, {}}},
		{"texts too long for a record", []rules.Account{
			{Domain: "corp", Name: "a", SID: "S-1"},
			{Domain: "corp", Name: long, DisplayName: "b", SID: "S-2", Excluded: rules.ReasonStale},
			{Domain: "corp", Name: "c", DisplayName: long[1:], SID: long, Counted: true},
			{Domain: "corp", Name: "d", DisplayName: long},
			{Domain: "lab", Name: "e", SID: "S-5"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			accounts := rules.NewAccounts(tt.accounts)
			want := plainViews(accounts)
			v := viewsOf(accounts)
			if got := v.plain(); !slices.Equal(got, want) {
				t.Fatalf("views differ from the accounts")
			}
			if wantChunks := (len(want) + 1<<viewChunkShift - 1) >> viewChunkShift; len(v.chunks) != wantChunks {
				t.Errorf("%d chunks for %d accounts, want %d", len(v.chunks), len(want), wantChunks)
			}
			if v.buf != nil || v.domainAt != nil || v.reasonAt != nil {
				t.Error("finish kept what only adding needs")
			}
		})
	}
}

// Domains and reasons beyond what a record's index holds go to long.
func TestAccountViewsManyDomainsAndReasons(t *testing.T) {
	var list []rules.Account
	for i := range 1<<16 + 300 {
		list = append(list, rules.Account{
			Domain:   fmt.Sprintf("d%d", i),
			Name:     fmt.Sprintf("n%d", i%5),
			SID:      fmt.Sprintf("S-%d", i%11),
			Excluded: rules.Reason(fmt.Sprintf("r%d", i%300)),
			Counted:  i%2 == 0,
		})
	}
	accounts := rules.NewAccounts(list)
	v := viewsOf(accounts)
	if !slices.Equal(v.plain(), plainViews(accounts)) {
		t.Fatal("views differ from the accounts")
	}
	want := 0 // beyond 65,536 domains or 256 reasons
	for i := range list {
		if i >= 1<<16 || i%300 >= 256 {
			want++
		}
	}
	if len(v.long) != want {
		t.Errorf("%d long records, want %d", len(v.long), want)
	}
}

func TestAccountViewsAllocations(t *testing.T) {
	accounts := rules.NewAccounts(manyAccounts(10000, "user"))
	var v *accountViews
	allocs := testing.AllocsPerRun(3, func() { v = viewsOf(accounts) })
	if allocs > 50 {
		t.Errorf("%v allocations for 10,000 accounts: not a few per list", allocs)
	}
	allocs = testing.AllocsPerRun(10, func() {
		for i := range v.len() {
			_, _, _ = v.text(i)
			_, _, _ = v.domain(i), v.excluded(i), v.counted(i)
		}
	})
	if allocs != 0 {
		t.Errorf("reading the views allocates %v times", allocs)
	}
	x := newAccountIndex(v, nil)
	allocs = testing.AllocsPerRun(10, func() {
		for i := range v.len() {
			if j, ok := x.bySIDOf("CORP", v.sid(i)); !ok || j != i {
				t.Fatalf("SID of %d found at %d, %v", i, j, ok)
			}
			if j, ok := x.byNameOf("Corp", v.name(i)); !ok || j != i {
				t.Fatalf("name of %d found at %d, %v", i, j, ok)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("looking accounts up allocates %v times", allocs)
	}
}

// Removed accounts do not hold the chunks of the older scan.
func TestRemovedAccountsAreCopied(t *testing.T) {
	v := viewsOf(rules.NewAccounts(manyAccounts(3, "user")))
	ch := diffIndexed(newAccountIndex(v, nil), rules.Accounts{}.All())
	if len(ch.Removed) != 3 {
		t.Fatalf("%d removed", len(ch.Removed))
	}
	chunk := unsafe.StringData(v.chunks[0])
	for _, r := range ch.Removed {
		for _, s := range []string{r.Name, r.DisplayName, r.SID} {
			p := unsafe.StringData(s)
			if uintptr(unsafe.Pointer(p)) >= uintptr(unsafe.Pointer(chunk)) && uintptr(unsafe.Pointer(p)) < uintptr(unsafe.Pointer(chunk))+uintptr(len(v.chunks[0])) {
				t.Errorf("%q is in the chunk", s)
			}
		}
	}
}

// caseyStrings are strings whose lower-case forms are equal or not in the
// ways strings.ToLower has them: Unicode folding that ToLower does not do
// (ſ, ß), runes that lower to ASCII (the Kelvin sign), invalid UTF-8 (which
// ToLower turns into U+FFFD), title case.
var caseyStrings = []string{
	"", "a", "A", "ab", "AB", "aB", "abc",
	"k", "K", "\u212a", // KELVIN SIGN lowers to k
	"s", "S", "\u017f", // LATIN SMALL LETTER LONG S: ToUpper is S, ToLower is itself
	"ß", "ẞ", "ss", "SS",
	"İ", "i̇", "i", "I", "ı",
	"ǅ", "ǆ", "Ǆ",
	"Σ", "σ", "ς",
	"\xff", "\xfe", "\uFFFD", "a\xff", "A\uFFFD", "\xe2\x84", "\xe2\x84\xaa",
	"strasse", "STRASSE", "straße", "STRAẞE",
	"jmüller", "JMÜLLER", "jmuller",
	strings.Repeat("Ab", 40), strings.Repeat("aB", 40), strings.Repeat("ǅ", 30), strings.Repeat("ǆ", 30),
}

func TestEqualLower(t *testing.T) {
	for _, a := range caseyStrings {
		for _, b := range caseyStrings {
			if got, want := equalLower(a, b), strings.ToLower(a) == strings.ToLower(b); got != want {
				t.Errorf("equalLower(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

func TestWriteLower(t *testing.T) {
	seed := maphash.MakeSeed()
	for _, s := range caseyStrings {
		var h maphash.Hash
		h.SetSeed(seed)
		writeLower(&h, s)
		if h.Sum64() != maphash.String(seed, strings.ToLower(s)) {
			t.Errorf("writeLower(%q) is not the hash of %q", s, strings.ToLower(s))
		}
	}
}

func FuzzEqualLower(f *testing.F) {
	for i, a := range caseyStrings {
		f.Add(a, caseyStrings[(i*7+3)%len(caseyStrings)])
	}
	seed := maphash.MakeSeed()
	f.Fuzz(func(t *testing.T, a, b string) {
		want := strings.ToLower(a) == strings.ToLower(b)
		if got := equalLower(a, b); got != want {
			t.Fatalf("equalLower(%q, %q) = %v, want %v", a, b, got, want)
		}
		var h maphash.Hash
		h.SetSeed(seed)
		writeLower(&h, a)
		if h.Sum64() != maphash.String(seed, strings.ToLower(a)) {
			t.Fatalf("writeLower(%q) is not the hash of its ToLower", a)
		}
	})
}

// weakHashes make different keys collide: a few buckets, or one.
var weakHashes = []struct {
	name   string
	weaken func(uint64) uint64
}{
	{"full hash", nil},
	{"two buckets", func(h uint64) uint64 { return h & 1 }},
	{"seven buckets", func(h uint64) uint64 { return h % 7 }},
	{"one bucket", func(uint64) uint64 { return 42 }},
}

// randomAccounts makes lists in which names, SIDs and domains repeat, in
// other cases and spellings, and SIDs are often missing.
func randomAccounts(r *rand.Rand, n int, from []rules.Account) []rules.Account {
	domains := []string{"corp", "CORP", "Corp", "lab", "LAB", "\u017fales", "Sales", "sales", ""}
	names := []string{"alice", "Alice", "ALICE", "bob", "Bob", "k-admin", "\u212a-admin", "K-ADMIN",
		"straße", "STRASSE", "strasse", "\xff", "\xfe", "\uFFFD", "ǅorde", "ǆorde", "", "x"}
	sids := []string{"", "", "", "S-1-5-21-1", "S-1-5-21-2", "s-1-5-21-1", "S-1-5-21-3", "S-1-5-21-4"}
	reasons := []rules.Reason{rules.ReasonNone, rules.ReasonNone, rules.ReasonStale, rules.ReasonDisabled,
		rules.ReasonExpired, rules.ReasonExcludedOU, rules.ReasonBuiltin}
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	out := make([]rules.Account, n)
	for i := range out {
		var a rules.Account
		if len(from) > 0 && r.IntN(3) > 0 { // mostly an account of the other list, changed a little
			a = from[r.IntN(len(from))]
			switch r.IntN(6) {
			case 0:
				a.Domain = pick(domains)
			case 1:
				a.Name = pick(names)
			case 2:
				a.SID = pick(sids)
			}
		} else {
			a = rules.Account{Domain: pick(domains), Name: pick(names), SID: pick(sids)}
		}
		a.DisplayName = fmt.Sprintf("display %d", r.IntN(5))
		a.Excluded = reasons[r.IntN(len(reasons))]
		a.Counted = a.Excluded == rules.ReasonNone && r.IntN(4) > 0
		out[i] = a
	}
	return out
}

func TestDiffAccountsAgreesWithMaps(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 3000 {
		prevList := randomAccounts(r, r.IntN(40), nil)
		prev, cur := rules.NewAccounts(prevList), rules.NewAccounts(randomAccounts(r, r.IntN(40), prevList))
		want := refDiffAccounts(plainViews(prev), cur)
		views := viewsOf(prev)
		for _, w := range weakHashes {
			if got := diffIndexed(newAccountIndex(views, w.weaken), cur.All()); !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, %s:\nprev %+v\ncur  %+v\n got %+v\nwant %+v", round, w.name, plainViews(prev), plainViews(cur), got, want)
			}
		}
	}
}

// With every key in one bucket, the index still finds the last account with
// each key and no other.
func TestAccountIndexCollisions(t *testing.T) {
	prev := rules.NewAccounts([]rules.Account{
		{Domain: "corp", Name: "alice", SID: "S-1"},
		{Domain: "CORP", Name: "ALICE", SID: "S-2"}, // same name key as 0, a later one
		{Domain: "lab", Name: "alice", SID: "S-1"},  // same SID, another domain
		{Domain: "corp", Name: "bob"},
		{Domain: "Corp", Name: "Bob", SID: "S-1"}, // last with SID key (corp, S-1)
	})
	v := viewsOf(prev)
	for _, w := range weakHashes {
		x := newAccountIndex(v, w.weaken)
		for _, tt := range []struct {
			by         string
			domain, id string
			want       int
			wantOK     bool
		}{
			{"sid", "corp", "S-1", 4, true},
			{"sid", "CORP", "S-2", 1, true},
			{"sid", "lab", "S-1", 2, true},
			{"sid", "lab", "S-2", 0, false},
			{"sid", "corp", "s-1", 0, false},
			{"name", "corp", "Alice", 1, true},
			{"name", "LAB", "alice", 2, true},
			{"name", "corp", "BOB", 4, true},
			{"name", "lab", "bob", 0, false},
		} {
			find := x.byNameOf
			if tt.by == "sid" {
				find = x.bySIDOf
			}
			if j, ok := find(tt.domain, tt.id); ok != tt.wantOK || ok && j != tt.want {
				t.Errorf("%s: by %s (%s, %s) found %d, %v; want %d, %v", w.name, tt.by, tt.domain, tt.id, j, ok, tt.want, tt.wantOK)
			}
		}
	}
}

// TestHistoryDiffMemory measures what comparing with a history file of a
// million accounts holds: the older scan's views and their indexes. It
// takes a while and half a gigabyte, so it runs only when asked for:
// CALSCAN_MEMTEST=1 go test ./report -run=HistoryDiffMemory -v
func TestHistoryDiffMemory(t *testing.T) {
	if os.Getenv("CALSCAN_MEMTEST") == "" {
		t.Skip("set CALSCAN_MEMTEST=1 to measure")
	}
	path := filepath.Join(t.TempDir(), "report.json")
	func() {
		res := sampleResult()
		res.Users = rules.NewAccounts(manyAccounts(800000, "user"))
		res.Devices = rules.NewAccounts(manyAccounts(200000, "pc"))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		w := bufio.NewWriter(f)
		if err := (&JSON{}).Write(JSONFile, w, New(res, generatedAt, "0.1.0")); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}()
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	start := time.Now()
	_, users, devices, err := previousReport(path)
	if err != nil {
		t.Fatal(err)
	}
	read := time.Since(start)
	views := heap()
	start = time.Now()
	indexes := []*accountIndex{newAccountIndex(users, nil), newAccountIndex(devices, nil)}
	indexed := time.Since(start)
	all := heap()
	mb := func(n uint64) float64 { return float64(n) / 1e6 }
	collided := 0
	for _, x := range indexes {
		collided += len(x.bySID.more) + len(x.byName.more)
	}
	t.Logf("%d accounts: views %.1f MB (read in %v), indexes %.1f MB (built in %v, %d hashes shared), together %.1f MB",
		users.len()+devices.len(), mb(views-before), read.Round(time.Millisecond), mb(all-views), indexed.Round(time.Millisecond), collided, mb(all-before))
	runtime.KeepAlive(indexes)
}
