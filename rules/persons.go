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
	counted := map[string]bool{} // domain\name of counted users, lower-cased
	for i := range e.userRows {
		if a := e.user(i); a.Counted {
			counted[strings.ToLower(a.Domain+`\`+a.Name)] = true
		}
	}
	var pairs []string
	for i := range e.userRows {
		if !e.userRows[i].Counted {
			continue
		}
		a := e.user(i)
		base, ok := baseAccountName(strings.ToLower(a.Name))
		if !ok || !counted[strings.ToLower(a.Domain)+`\`+base] {
			continue
		}
		pairs = append(pairs, fmt.Sprintf("%s (%s)", a.Name, base))
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
