package adsim

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// CompanyOptions sizes the synthetic company. Zero values take the demo
// defaults: 2000 users, 600 computers, DC=corp,DC=example,DC=test,
// corp.example.test, and Now = today 00:00 UTC.
type CompanyOptions struct {
	Users, Computers  int
	Seed              int64
	Now               time.Time
	BaseDN, DNSDomain string
}

// Demo defaults.
const (
	defaultUsers     = 2000
	defaultComputers = 600
	defaultBaseDN    = "DC=corp,DC=example,DC=test"
	defaultDNSDomain = "corp.example.test"
)

func (o CompanyOptions) withDefaults() CompanyOptions {
	if o.Users <= 0 {
		o.Users = defaultUsers
	}
	if o.Computers <= 0 {
		o.Computers = defaultComputers
	}
	if o.BaseDN == "" {
		o.BaseDN = defaultBaseDN
	}
	o.BaseDN = canonicalDN(o.BaseDN)
	if o.DNSDomain == "" {
		if o.BaseDN == defaultBaseDN {
			o.DNSDomain = defaultDNSDomain
		} else {
			o.DNSDomain = (&Directory{BaseDN: o.BaseDN}).dnsDomain()
		}
	}
	if o.Now.IsZero() {
		o.Now = time.Now().UTC().Truncate(24 * time.Hour)
	}
	o.Now = o.Now.UTC().Truncate(time.Second)
	return o
}

// Company builds a realistic AD domain: the same Seed and Now give the same
// directory. Users and Computers are the target sizes; every category of
// account (active, disabled, stale, never logged on, expired, service,
// built-in, per-user RDS CAL, each server edition and workstation kind) is
// present at least once, so a very small company is a little larger than asked.
func Company(o CompanyOptions) *Directory {
	o = o.withDefaults()
	b := &builder{
		o:          o,
		rng:        rand.New(rand.NewPCG(uint64(o.Seed), 0x5ca1ab1e)),
		now:        o.Now,
		base:       o.BaseDN,
		dns:        strings.ToLower(o.DNSDomain),
		rid:        1000,
		used:       make(map[string]struct{}),
		numbered:   make(map[string]int),
		categories: make(map[string]string),
		sams:       make(map[string]int),
		mails:      make(map[string]int),
	}
	b.domainSID = [3]uint32{b.rng.Uint32N(1<<31) + 1, b.rng.Uint32N(1<<31) + 1, b.rng.Uint32N(1<<31) + 1}
	b.created = b.now.AddDate(-9, 0, 0).Add(-time.Duration(b.rng.Int64N(int64(365 * day))))
	b.addSkeleton()
	b.addGroups()
	b.addUsers()
	b.addComputers()
	return &Directory{BaseDN: o.BaseDN, DNSDomain: b.dns, Entries: b.entries}
}

const day = 24 * time.Hour

// builder accumulates the company's entries in directory order.
type builder struct {
	o          CompanyOptions
	rng        *rand.Rand
	now        time.Time
	base, dns  string
	domainSID  [3]uint32
	created    time.Time // when the domain was provisioned
	rid        uint32    // next relative id
	entries    []*Entry
	groups     groupSet
	used       map[string]struct{} // folded DNs taken
	numbered   map[string]int      // folded "cn,parent" → last number used
	categories map[string]string
	sams       map[string]int // account name stem → times used
	mails      map[string]int // mail local part → times used
}

// add appends an entry; attrs gets distinguishedName.
func (b *builder) add(dn string, attrs map[string][]string) *Entry {
	attrs["distinguishedName"] = []string{dn}
	e := &Entry{DN: dn, Attrs: attrs}
	b.entries = append(b.entries, e)
	return e
}

// uniqueDN returns a free "CN=<cn>,<parent>", numbering the cn if taken
// ("Anna Smith 2"). The last number used per name makes this O(1).
func (b *builder) uniqueDN(cn, parent string) (string, string) {
	stem := string(foldKey(nil, cn+","+parent))
	for n := b.numbered[stem] + 1; ; n++ {
		name := cn
		if n > 1 {
			name = cn + " " + strconv.Itoa(n)
		}
		dn := "CN=" + escapeRDNValue(name) + "," + parent
		key := string(foldKey(nil, dn))
		if _, taken := b.used[key]; !taken {
			b.used[key] = struct{}{}
			b.numbered[stem] = n
			return name, dn
		}
	}
}

// uniqueSAM returns stem, or stem followed by a number when stem is taken.
// Stems are letters, so a numbered name never collides with another stem.
func (b *builder) uniqueSAM(stem string) string {
	return uniqueName(b.sams, stem)
}

func uniqueName(used map[string]int, stem string) string {
	key := strings.ToLower(stem)
	used[key]++
	if n := used[key]; n > 1 {
		return stem + strconv.Itoa(n)
	}
	return stem
}

func (b *builder) nextRID() uint32 {
	b.rid++
	return b.rid - 1
}

func (b *builder) sid(rid uint32) string {
	return encodeSID(21, b.domainSID[0], b.domainSID[1], b.domainSID[2], rid)
}

func (b *builder) guid() string {
	var g [16]byte
	for i := range g {
		g[i] = byte(b.rng.UintN(256))
	}
	return string(g[:])
}

// category is the objectCategory DN of a schema class, one shared string
// per class.
func (b *builder) category(name string) string {
	dn, ok := b.categories[name]
	if !ok {
		dn = "CN=" + name + ",CN=Schema,CN=Configuration," + b.base
		b.categories[name] = dn
	}
	return dn
}

func (b *builder) ou(name string) string { return "OU=" + name + "," + b.base }

func (b *builder) container(name string) string { return "CN=" + name + "," + b.base }

// ago is a moment between minDays and maxDays before now, to the second.
func (b *builder) ago(minDays, maxDays int) time.Time {
	span := int64(maxDays-minDays) * int64(day/time.Second)
	secs := int64(minDays)*int64(day/time.Second) + b.rng.Int64N(span+1)
	return b.now.Add(-time.Duration(secs) * time.Second)
}

// before is a moment between minDays and maxDays before t.
func (b *builder) before(t time.Time, minDays, maxDays int) time.Time {
	return t.Add(b.ago(minDays, maxDays).Sub(b.now))
}

// atLeastOne is max(1, n).
func atLeastOne(n int) int { return max(1, n) }

// percent is n·p/100 rounded to the nearest integer.
func percent(n, p int) int { return (n*p + 50) / 100 }
