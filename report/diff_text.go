package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/calscan/calscan/rules"
)

// How many names a list of changes shows before "… and N more": the terminal
// is read, the page is skimmed; report.json holds every name.
const (
	changeNamesText = 20
	changeNamesHTML = 50
)

// changeLine is one line of a changes summary and the lines under it. The
// text and HTML renderings share these lines.
type changeLine struct {
	Text string
	Sub  []string
}

// WriteChanges writes an admin-readable summary of c for the terminal, e.g.
//
//	Changes from the scan of 2026-11-19 10:00 UTC to the scan of 2026-11-26 10:00 UTC:
//	Required 2022 User CALs: 1,640 → 1,702 (+62)
//	Users: +12 accounts, −3 accounts, 5 now reclaimable (5 stale)
//	  added: alice (Alice Smith), bob, … and 2 more
//
// Directory strings are written with control characters replaced, so a
// hostile name cannot move the cursor or hide text.
func WriteChanges(w io.Writer, c *Changes) error {
	var b strings.Builder
	switch {
	case c == nil:
		b.WriteString("No earlier scan to compare with.\n")
	case c.Empty():
		b.WriteString("No changes since the scan of " + scanTime(c.Previous) + ".\n")
	default:
		b.WriteString(changesHeading(c) + ":\n")
		for _, l := range changeLines(c, changeNamesText) {
			b.WriteString(printable(l.Text) + "\n")
			for _, s := range l.Sub {
				b.WriteString("  " + printable(s) + "\n")
			}
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write changes: %w", err)
	}
	return nil
}

func changesHeading(c *Changes) string {
	if c.Current.IsZero() {
		return "Changes since the scan of " + scanTime(c.Previous)
	}
	return "Changes from the scan of " + scanTime(c.Previous) + " to the scan of " + scanTime(c.Current)
}

// scanTime is "2026-11-26 10:00 UTC", as the report's header shows it.
func scanTime(t time.Time) string {
	if t.IsZero() {
		return "unknown date"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// changeLines lays out every change, showing at most maxNames names per list.
func changeLines(c *Changes, maxNames int) []changeLine {
	var lines []changeLine
	if c.Compliant.Changed() {
		lines = append(lines, changeLine{Text: "Verdict: " + complianceWord(c.Compliant.Then) + " → " + complianceWord(c.Compliant.Now)})
	}
	for _, cal := range c.CALs {
		lines = append(lines, calChangeLines(cal)...)
	}
	names := refNamer{multiDomain: spansDomains(c)}
	lines = appendAccountLines(lines, "Users", c.Users, names, maxNames)
	lines = appendAccountLines(lines, "Devices", c.Devices, names, maxNames)
	if !c.Servers.empty() {
		lines = append(lines, serverLines(c.Servers, names, maxNames))
	}
	if !c.Findings.empty() {
		lines = append(lines, findingLines(c.Findings, maxNames))
	}
	return lines
}

func complianceWord(compliant bool) string {
	if compliant {
		return "Compliant"
	}
	return "Not compliant"
}

// calChangeLines: "Required 2022 User CALs: 1,640 → 1,702 (+62)", and so on
// for the version needed, owned, shortfall and, when they tell more than the
// totals, the numbers per version.
func calChangeLines(c CALChange) []changeLine {
	name := calTypeLabel(c.Type) + " CALs"
	var lines []changeLine
	add := func(s string) { lines = append(lines, changeLine{Text: s}) }

	required := "Required " + name
	if c.MinVersion.Changed() {
		add("Version needed for " + name + ": " + versionOrNone(c.MinVersion.Then) + " → " + versionOrNone(c.MinVersion.Now))
	} else if c.MinVersion.Now != "" {
		required = "Required " + c.MinVersion.Now + " " + name
	}
	if c.Required.Changed() {
		add(required + ": " + countChange(c.Required))
	}
	if c.Owned.Changed() {
		add("Owned " + name + ": " + countChange(c.Owned))
	}
	if c.Shortfall.Changed() {
		add(calTypeLabel(c.Type) + " CAL shortfall: " + countChange(c.Shortfall))
	}
	for _, v := range c.ByVersion {
		if v.Required == c.Required && v.Owned == c.Owned {
			continue // the only version: the totals said it all
		}
		var parts []string
		if v.Required.Changed() {
			parts = append(parts, "required "+countChange(v.Required))
		}
		if v.Owned.Changed() {
			parts = append(parts, "owned "+countChange(v.Owned))
		}
		add(name + " at version " + v.Version + ": " + strings.Join(parts, ", "))
	}
	return lines
}

func versionOrNone(v string) string {
	if v == "" {
		return "none"
	}
	return v
}

// countChange is "1,640 → 1,702 (+62)".
func countChange(c Change[int]) string {
	s := rules.FormatCount(c.Then) + " → " + rules.FormatCount(c.Now)
	if d := delta(c); d != 0 {
		s += " (" + signed(d) + ")"
	}
	return s
}

// signed is "+62" or "−3", with a true minus sign.
func signed(n int) string {
	if n < 0 {
		return "−" + rules.FormatCount(-n)
	}
	return "+" + rules.FormatCount(n)
}

func appendAccountLines(lines []changeLine, what string, a AccountChanges, names refNamer, maxNames int) []changeLine {
	if a.empty() {
		return lines
	}
	var parts []string
	if n := len(a.Added); n > 0 {
		parts = append(parts, "+"+count(n, "account", "accounts"))
	}
	if n := len(a.Removed); n > 0 {
		parts = append(parts, "−"+count(n, "account", "accounts"))
	}
	if n := len(a.NowReclaimable); n > 0 {
		parts = append(parts, rules.FormatCount(n)+" now reclaimable ("+reasonTally(a.NowReclaimable)+")")
	}
	if n := len(a.NowCounted); n > 0 {
		parts = append(parts, rules.FormatCount(n)+" counted again")
	}
	l := changeLine{Text: what + ": " + strings.Join(parts, ", ")}
	for _, list := range []struct {
		label string
		refs  []AccountRef
		name  func(AccountRef) string
	}{
		{"added", a.Added, names.account},
		{"removed", a.Removed, names.account},
		{"now reclaimable", a.NowReclaimable, names.reclaimable},
		{"counted again", a.NowCounted, names.account},
	} {
		if len(list.refs) > 0 {
			l.Sub = append(l.Sub, list.label+": "+inlineList(list.refs, list.name, maxNames))
		}
	}
	return append(lines, l)
}

// reasonTally is "3 stale, 2 disabled", most frequent first.
func reasonTally(refs []AccountRef) string {
	counts := make(map[rules.Reason]int)
	var order []rules.Reason
	for _, r := range refs {
		if counts[r.Excluded] == 0 {
			order = append(order, r.Excluded)
		}
		counts[r.Excluded]++
	}
	slices.SortStableFunc(order, func(a, b rules.Reason) int { return counts[b] - counts[a] })
	parts := make([]string, len(order))
	for i, r := range order {
		parts[i] = rules.FormatCount(counts[r]) + " " + reasonLabel(r)
	}
	return strings.Join(parts, ", ")
}

// inlineList is "a, b, c … and 3 more".
func inlineList[T any](items []T, name func(T) string, maxNames int) string {
	shown := items[:min(len(items), maxNames)]
	parts := make([]string, len(shown))
	for i, it := range shown {
		parts[i] = name(it)
	}
	s := strings.Join(parts, ", ")
	if more := len(items) - len(shown); more > 0 {
		s += " … and " + rules.FormatCount(more) + " more"
	}
	return s
}

func serverLines(s ServerChanges, names refNamer, maxNames int) changeLine {
	var parts []string
	for _, n := range []struct {
		n    int
		what string
	}{{len(s.Added), "added"}, {len(s.Removed), "removed"}, {len(s.Changed), "changed"}} {
		if n.n > 0 {
			parts = append(parts, rules.FormatCount(n.n)+" "+n.what)
		}
	}
	l := changeLine{Text: "Servers: " + strings.Join(parts, ", ")}
	l.Sub = appendEach(l.Sub, "added", s.Added, names.server, maxNames)
	l.Sub = appendEach(l.Sub, "removed", s.Removed, names.server, maxNames)
	l.Sub = appendEach(l.Sub, "changed", s.Changed, names.serverChange, maxNames)
	return l
}

func findingLines(f FindingChanges, maxNames int) changeLine {
	var parts []string
	if n := len(f.Added); n > 0 {
		parts = append(parts, rules.FormatCount(n)+" new")
	}
	if n := len(f.Resolved); n > 0 {
		parts = append(parts, rules.FormatCount(n)+" resolved")
	}
	l := changeLine{Text: "Findings: " + strings.Join(parts, ", ")}
	l.Sub = appendEach(l.Sub, "new", f.Added, findingName, maxNames)
	l.Sub = appendEach(l.Sub, "resolved", f.Resolved, findingName, maxNames)
	return l
}

// appendEach adds a line per item ("added: FS02 (…)"), at most maxNames.
func appendEach[T any](sub []string, label string, items []T, name func(T) string, maxNames int) []string {
	for i, it := range items {
		if i == maxNames {
			return append(sub, label+": … and "+rules.FormatCount(len(items)-i)+" more")
		}
		sub = append(sub, label+": "+name(it))
	}
	return sub
}

func findingName(f FindingRef) string {
	s := f.Code + " (" + string(f.Severity) + ")"
	if f.Message != "" {
		s += ": " + f.Message
	}
	return s
}

// refNamer names accounts and servers, with their domain when the changes
// span more than one.
type refNamer struct{ multiDomain bool }

func (n refNamer) qualified(domain, name string) string {
	if n.multiDomain && domain != "" {
		return domain + `\` + name
	}
	return name
}

// account is "alice (Alice Smith)".
func (n refNamer) account(a AccountRef) string {
	s := n.qualified(a.Domain, a.Name)
	if a.DisplayName != "" && a.DisplayName != a.Name {
		s += " (" + a.DisplayName + ")"
	}
	return s
}

// reclaimable is "alice (Alice Smith, stale)".
func (n refNamer) reclaimable(a AccountRef) string {
	s := n.qualified(a.Domain, a.Name)
	if a.DisplayName != "" && a.DisplayName != a.Name {
		return s + " (" + a.DisplayName + ", " + reasonLabel(a.Excluded) + ")"
	}
	return s + " (" + reasonLabel(a.Excluded) + ")"
}

// server is "FS02 (Windows Server 2025 Standard, needs CALs)".
func (n refNamer) server(s ServerRef) string {
	var facts []string
	if s.OperatingSystem != "" {
		facts = append(facts, s.OperatingSystem)
	}
	if s.NeedsCALs {
		facts = append(facts, "needs CALs")
	} else {
		facts = append(facts, "needs no CALs")
	}
	return n.qualified(s.Domain, s.Name) + " (" + strings.Join(facts, ", ") + ")"
}

// serverChange is "DC1: version 2022 → 2025, needs CALs no → yes".
func (n refNamer) serverChange(s ServerChange) string {
	var facts []string
	if s.Edition.Changed() {
		facts = append(facts, "edition "+orUnknown(string(s.Edition.Then))+" → "+orUnknown(string(s.Edition.Now)))
	}
	if s.Version.Changed() {
		facts = append(facts, "version "+orUnknown(s.Version.Then)+" → "+orUnknown(s.Version.Now))
	}
	if s.NeedsCALs.Changed() {
		facts = append(facts, "needs CALs "+yesNo(s.NeedsCALs.Then)+" → "+yesNo(s.NeedsCALs.Now))
	}
	return n.qualified(s.Domain, s.Name) + ": " + strings.Join(facts, ", ")
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// spansDomains reports whether the accounts and servers in c come from more
// than one domain.
func spansDomains(c *Changes) bool {
	first := ""
	differs := func(domain string) bool {
		if domain == "" {
			return false
		}
		if first == "" {
			first = strings.ToLower(domain)
			return false
		}
		return !strings.EqualFold(first, domain)
	}
	for _, a := range [][]AccountRef{c.Users.Added, c.Users.Removed, c.Users.NowReclaimable, c.Users.NowCounted,
		c.Devices.Added, c.Devices.Removed, c.Devices.NowReclaimable, c.Devices.NowCounted} {
		for _, r := range a {
			if differs(r.Domain) {
				return true
			}
		}
	}
	for _, s := range [][]ServerRef{c.Servers.Added, c.Servers.Removed} {
		for _, r := range s {
			if differs(r.Domain) {
				return true
			}
		}
	}
	for _, r := range c.Servers.Changed {
		if differs(r.Domain) {
			return true
		}
	}
	return false
}

// printable replaces control and bidirectional-override characters, which a
// directory string could use to rewrite what the terminal shows.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return '\uFFFD'
		}
		return r
	}, s)
}
