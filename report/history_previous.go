package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/calscan/calscan/rules"
)

// previousReport reads a history file to compare this scan with: everything
// but the account lists as LoadReport reads it, and of each account only the
// little that Diff compares, in compact accountViews. json.Decoder holds a whole value in memory
// before decoding it, so the accounts are decoded one at a time: a report of
// a million accounts read in one piece takes gigabytes. A file that cannot be
// read this way is handed to LoadReport, so what is accepted, and every
// error, is LoadReport's.
func previousReport(path string) (*Report, *accountViews, *accountViews, error) {
	if r, users, devices, err := streamReport(path); err == nil {
		return r, users, devices, nil
	}
	r, err := LoadReport(path)
	if err != nil {
		return nil, nil, nil, err
	}
	return r, viewsOf(r.Users), viewsOf(r.Devices), nil
}

// streamReport reads report.json key by key: the account lists as views,
// every other top-level value gathered into a small document that
// decodeReport checks and decodes.
func streamReport(path string) (r *Report, users, devices *accountViews, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, nil, nil, err
	}
	var head bytes.Buffer
	head.WriteByte('{')
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, nil, err
		}
		key, _ := tok.(string)
		switch {
		case strings.EqualFold(key, "users"): // as encoding/json matches keys
			users, err = decodeViews(dec)
		case strings.EqualFold(key, "devices"):
			devices, err = decodeViews(dec)
		default:
			err = copyMember(&head, key, dec)
		}
		if err != nil {
			return nil, nil, nil, err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, nil, nil, err
	}
	head.WriteByte('}')
	if r, err = decodeReport(&head, path); err != nil {
		return nil, nil, nil, err
	}
	return r, users, devices, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("want %v, got %v", want, tok)
	}
	return nil
}

// copyMember appends `"key":value` (the next value of dec) to an object being built.
func copyMember(head *bytes.Buffer, key string, dec *json.Decoder) error {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	name, err := json.Marshal(key)
	if err != nil {
		return err
	}
	if head.Len() > 1 {
		head.WriteByte(',')
	}
	head.Write(name)
	head.WriteByte(':')
	head.Write(raw)
	return nil
}

// decodeViews reads an array of accounts (or null). Each is decoded in full,
// so a value LoadReport would reject is rejected here too, then reduced to
// its view. The decoder checks an account's syntax and hands over its text;
// decodeAccountFast decodes what calscan writes, and anything else is
// decoded by json.Unmarshal, as dec.Decode would have decoded it.
func decodeViews(dec *json.Decoder) (*accountViews, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok == nil {
		return nil, nil
	}
	if tok != json.Delim('[') {
		return nil, errors.New("account list is not an array")
	}
	views := &accountViews{}
	// Both reused: the strings of a are copied out of raw, a is overwritten
	// whole (or zeroed) for each account, and views.add keeps only strings.
	var raw json.RawMessage
	var a rules.Account
	for dec.More() {
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		if !decodeAccountFast(raw, &a) {
			a = rules.Account{}
			if err := json.Unmarshal(raw, &a); err != nil {
				return nil, err
			}
		}
		views.add(&a)
	}
	views.finish()
	return views, expectDelim(dec, ']')
}
