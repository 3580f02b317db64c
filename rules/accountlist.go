package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"iter"
)

// Accounts is a Result's list of users or of client devices, in report
// order. Evaluate keeps what it decided about each account (a few bytes) next
// to the inventory's record of it and builds the Account when it is asked
// for: a million Account values would take a quarter of a gigabyte, on top
// of the directory itself. The zero value is an empty list.
type Accounts struct {
	list []Account // given as a list: NewAccounts, a decoded report

	// Built by Evaluate: rows[i] is what the rules decided about account i,
	// whose record is users[rows[i].record] or computers[rows[i].record].
	rows      []accountRow
	users     []userRecord
	computers []computerRecord
}

// accountRow is what Evaluate decides about one account, in 32 bytes; the
// rest of the Account is in the inventory record. Counted, External and RDS
// are the Account's fields.
type accountRow struct {
	RDS       *AccountRDS
	lastLogon instant // the latest of all copies of the account
	record    int32   // index in the inventory's users or computers
	excluded  uint8   // index in rowReasons
	calType   uint8   // index in rowCALTypes
	calRank   int8    // index in calVersionOrder, if calType is set
	Counted   bool
	External  bool
}

// The values a row's codes stand for.
var (
	rowReasons = [...]Reason{ReasonNone, ReasonBuiltin, ReasonDisabled, ReasonExpired, ReasonExcludedAccount,
		ReasonExcludedOU, ReasonNotInScopeGroup, ReasonAdminExempt, ReasonStale}
	rowCALTypes = [...]CALType{"", CALUser, CALDevice}
)

func newAccountRow(record int32, lastLogon instant, r Reason) accountRow {
	row := accountRow{record: record, lastLogon: lastLogon, Counted: r == ReasonNone}
	row.excluded = uint8(codeOf(rowReasons[:], r))
	return row
}

// Excluded is why the account is not counted (ReasonNone: it is).
func (r *accountRow) Excluded() Reason { return rowReasons[r.excluded] }

// CAL is the Windows Server CAL the account needs ("" if none) and its version.
func (r *accountRow) CAL() (CALType, string) {
	if r.calType == 0 {
		return "", ""
	}
	return rowCALTypes[r.calType], calVersionOrder[r.calRank]
}

// setCAL gives the account a CAL of type t (user or device) at version rank.
func (r *accountRow) setCAL(t CALType, rank int) {
	r.calType, r.calRank = uint8(codeOf(rowCALTypes[:], t)), int8(rank)
}

// codeOf is v's index in values; v must be one of them.
func codeOf[T comparable](values []T, v T) int {
	for i, x := range values {
		if x == v {
			return i
		}
	}
	panic(fmt.Sprintf("rules: %v has no row code", v))
}

// NewAccounts makes a list of the given accounts. The list is not copied.
func NewAccounts(list []Account) Accounts { return Accounts{list: list} }

// Len is the number of accounts.
func (a Accounts) Len() int {
	if a.rows != nil {
		return len(a.rows)
	}
	return len(a.list)
}

// At returns account i.
func (a Accounts) At(i int) Account {
	if a.rows == nil {
		return a.list[i]
	}
	r := &a.rows[i]
	acc := Account{
		LastLogon: r.lastLogon.time(),
		Counted:   r.Counted,
		Excluded:  r.Excluded(),
		External:  r.External,
		RDS:       r.RDS,
	}
	acc.CALType, acc.CALVersion = r.CAL()
	if a.users != nil {
		u := &a.users[r.record]
		acc.Domain, acc.Name, acc.DisplayName, acc.UPN = u.domain, u.name(), u.displayName(), u.upn()
		acc.DN, acc.SID, acc.Created = u.dn(), u.sid(), u.whenCreated.time()
	} else {
		c := &a.computers[r.record]
		acc.Domain, acc.Name, acc.DNSName, acc.OperatingSystem = c.domain, c.name(), c.dnsName(), c.os
		acc.DN, acc.SID, acc.Created = c.dn(), c.sid(), c.whenCreated.time()
	}
	return acc
}

// All yields every account with its index, in order.
func (a Accounts) All() iter.Seq2[int, Account] {
	return func(yield func(int, Account) bool) {
		for i := range a.Len() {
			if !yield(i, a.At(i)) {
				return
			}
		}
	}
}

// List returns the accounts as a slice: the list itself when it was given as
// one (changes to it show through), else a new slice of every account, which
// for a large directory is large.
func (a Accounts) List() []Account {
	if a.rows == nil {
		return a.list
	}
	list := make([]Account, a.Len())
	for i := range list {
		list[i] = a.At(i)
	}
	return list
}

// MarshalJSON encodes the accounts as a JSON array ([] when there are none).
func (a Accounts) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // the caller's encoder escapes, if it does
	b.WriteByte('[')
	for i, acc := range a.All() {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(&acc); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}

// UnmarshalJSON decodes a JSON array of accounts (null is an empty list).
func (a *Accounts) UnmarshalJSON(data []byte) error {
	var list []Account
	if err := json.Unmarshal(data, &list); err != nil {
		return err
	}
	*a = Accounts{list: list}
	return nil
}
