package rules

import (
	"fmt"
	"strings"
)

// CodeSecondAccounts flags counted accounts that look like a second account
// of a person who already has one (an admin account beside the everyday one).
const CodeSecondAccounts = "SECOND_ACCOUNTS"

// adminAffixes are the usual ways admins name a person's second account.
var (
	adminPrefixes = []string{"adm-", "adm_", "adm.", "admin-", "admin_", "admin.", "a-", "a_", "sa-", "sa_", "da-", "da_"}
	adminSuffixes = []string{"-adm", "_adm", ".adm", "-admin", "_admin", ".admin", "-a", "_a", "-da", "_da"}
)

// baseAccountName strips one admin prefix or suffix from a lower-cased
// sAMAccountName; ok is false when the name has none.
func baseAccountName(name string) (base string, ok bool) {
	for _, p := range adminPrefixes {
		if rest, found := strings.CutPrefix(name, p); found && rest != "" {
			return rest, true
		}
	}
	for _, s := range adminSuffixes {
		if rest, found := strings.CutSuffix(name, s); found && rest != "" {
			return rest, true
		}
	}
	return "", false
}

// secondAccountsFinding tells the admin which counted accounts probably
// belong to a person who is already counted (R2: a User CAL covers a person,
// not an account). calscan still counts them — it cannot know — and says
// how to stop counting them if they are.
func (e *evaluation) secondAccountsFinding() {
	if e.calType != CALUser && !e.mixed {
		return
	}
	// The counted users whose name has an admin affix, by the lower-cased
	// domain\base they would be a second account of; then one pass over all
	// counted users for those keys. No per-user allocation: a million users
	// take one pass each way.
	type candidate struct {
		k    int
		base string
	}
	var candidates []candidate
	wanted := map[string]bool{} // domain\base, lower-cased: is that account counted?
	var buf []byte
	for k := range e.userRows {
		if !e.userRows[k].Counted {
			continue
		}
		u := e.userRecordAt(k)
		buf = appendLower(buf[:0], u.name())
		if base, ok := baseAccountName(string(buf)); ok {
			candidates = append(candidates, candidate{k, base})
			wanted[strings.ToLower(u.domain)+`\`+base] = false
		}
	}
	if len(candidates) == 0 {
		return
	}
	for k := range e.userRows {
		if !e.userRows[k].Counted {
			continue
		}
		u := e.userRecordAt(k)
		buf = append(appendLower(buf[:0], u.domain), '\\')
		buf = appendLower(buf, u.name())
		if _, ok := wanted[string(buf)]; ok {
			wanted[string(buf)] = true
		}
	}
	var pairs []string
	for _, c := range candidates {
		u := e.userRecordAt(c.k)
		if wanted[strings.ToLower(u.domain)+`\`+c.base] {
			pairs = append(pairs, fmt.Sprintf("%s (%s)", u.name(), c.base))
		}
	}
	if len(pairs) == 0 {
		return
	}
	e.add(Finding{Code: CodeSecondAccounts, Severity: SeverityInfo, Rule: "R2",
		Message: fmt.Sprintf("%s counted %s like a second account of a person who is already counted: %s. A User CAL covers a person on all their accounts, so if each is the same person, %s User %s fewer are needed.",
			FormatCount(len(pairs)), plural(len(pairs), "account looks", "accounts look"), listNames(pairs, 10), FormatCount(len(pairs)), plural(len(pairs), "CAL is", "CALs are")),
		Action:   `Check that each is the same person; then leave the second accounts out with exclude_accounts (e.g. "adm-*"). calscan keeps counting them until you do.`,
		Subjects: capSubjects(pairs)})
}
