package report

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/calscan/calscan/rules"
)

// writtenAccounts returns the elements of the users and devices lists of
// report.json as the JSON writer writes them for rep.
func writtenAccounts(t testing.TB, rep *Report) []json.RawMessage {
	t.Helper()
	var buf bytes.Buffer
	if err := (&JSON{}).Write(JSONFile, &buf, rep); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Users, Devices []json.RawMessage
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return append(doc.Users, doc.Devices...)
}

// hostileAccounts are accounts with every field set, strings that need
// care and the RDS part in its forms.
func hostileAccounts() []rules.Account {
	shared := &rules.AccountRDS{CALType: rules.CALRDSUser, CALVersion: "2019"}
	issued := &rules.AccountRDS{CALType: rules.CALRDSUser, CALVersion: "2022", IssuedVersion: "0x00050001",
		IssuedExpires: time.Date(2027, 3, 4, 5, 6, 7, 0, time.UTC), LicenseServer: "LS01.corp.example.com"}
	east := time.FixedZone("", 5*3600+30*60)
	return []rules.Account{
		{Domain: "corp", Name: "rds.user", DisplayName: "RDS User", UPN: "rds.user@corp.example.com",
			DN: "CN=RDS User,DC=corp", SID: "S-1-5-21-1-2-3-4000", LastLogon: day(2026, 11, 1), Created: day(2020, 1, 1),
			Counted: true, CALType: rules.CALUser, CALVersion: "2022", RDS: shared},
		{Domain: "corp", Name: "issued", DN: "CN=issued,DC=corp", RDS: issued, External: true},
		{Domain: "corp", Name: "empty rds", DN: "CN=x", RDS: &rules.AccountRDS{}},
		{}, // every omitempty field left out, the others empty
		{Domain: "lab", Name: `quote"d`, DisplayName: `Partner "One" <script>alert(1)</script> & co`,
			DN: `CN=Doe\, John,OU=back\slash/x,DC=lab`, SID: "tab\there\r\n\b\f", UPN: `\\"\"`},
		{Domain: "ünïcödé", Name: "José Müller", DisplayName: "日本語 😀 \u2028 line \u2029 para", DN: "CN=Ω"},
		{Domain: "corp", Name: "control\x01\n", DN: "CN=\x7f"},
		{Domain: "corp", Name: "invalid utf8 \xff\xfe", DN: "CN=y"},
		{Domain: "corp", Name: "zones", DN: "CN=z",
			LastLogon: time.Date(2026, 5, 6, 7, 8, 9, 123456789, east),
			Created:   time.Date(1999, 12, 31, 23, 59, 59, 1000, time.FixedZone("", -8*3600))},
		{Domain: "corp", Name: "PC-0001$", DNSName: "pc-0001.corp.example.com", OperatingSystem: "Windows 11 Pro",
			DN: "CN=PC-0001", Excluded: rules.ReasonDisabled, CALType: rules.CALDevice},
	}
}

// trickyAccounts are objects calscan never writes: each must either fall
// back or decode as encoding/json does.
var trickyAccounts = []string{
	`{"name":"a","name":"b"}`,
	`{"rds":{"cal_type":"rds-user"},"rds":{"cal_version":"2022"}}`,
	`{"rds":{"issued_expires":"2027-01-01T00:00:00Z"},"rds":{}}`,
	`{"rds":{},"name":"x"}`,
	`{"rds":null}`,
	`{"rds":{"cal_type":"rds-user"},"rds":null}`,
	`{"rds":{"Cal_Type":"rds-user"}}`,
	`{"rds":[]}`,
	`{"Name":"a"}`,
	`{"NAME":"a","name":"b"}`,
	`{"name":"b","Name":"a"}`,
	`{"naMe":"a"}`,
	`{"unknown":"a"}`,
	`{"name":null}`,
	`{"counted":null}`,
	`{"last_logon":null}`,
	`{"name":"a\"b"}`,
	`{"dn":"CN=Doe\\, John,OU=Staff"}`,
	`{"name":"\/\b\f\n\r\t\"\\"}`,
	`{"name":"\\"}`,
	`{"name":"\\\\u0041"}`,
	`{"name":"\x"}`,
	`{"name":"\U0041"}`,
	`{"name":"a\"}`,
	`{"name":"\uD800"}`,
	`{"name":"\ud83d\ude00"}`,
	"{\"name\":\"\xc3\\\\\"}",
	"{\"name\":\"\xc3\\n\xa9\"}",
	`{"na\\me":"a"}`,
	`{"name\/":"a"}`,
	`{"last_logon":"2026-02-28T00:00:00\/Z"}`,
	`{"name":"\u00e9"}`,
	`{"name":"\u2028"}`,
	`{"na\u006de":"a"}`,
	`{"name":1}`,
	`{"counted":1}`,
	`{"counted":"true"}`,
	`{"counted":true,"counted":false}`,
	`{"external":false,"external":true}`,
	`{"name":true}`,
	`{"name":["a"]}`,
	`{"name":{}}`,
	`{"last_logon":"2026-02-30T00:00:00Z"}`,
	`{"last_logon":"2026-02-28T00:00:00Z"}`,
	`{"last_logon":"2026-02-28T00:00:00+05:30"}`,
	`{"last_logon":"2026-02-28T00:00:00.123456789-08:00"}`,
	`{"last_logon":"2026-02-28T00:00:00.1234567891Z"}`,
	`{"last_logon":"2026-02-28T00:00:00,5Z"}`,
	`{"last_logon":"2026-02-28t00:00:00z"}`,
	`{"last_logon":"2026-02-28T24:00:00Z"}`,
	`{"last_logon":"2026-02-28T00:00:00+24:00"}`,
	`{"last_logon":"0000-01-01T00:00:00Z"}`,
	`{"last_logon":"10000-01-01T00:00:00Z"}`,
	`{"last_logon":"2026-02-28T00:00:00Z","last_logon":"2027-02-28T00:00:00Z"}`,
	`{"last_logon":"2026-02-28T00:00:00Z","last_logon":"bad"}`,
	`{"created":""}`,
	`{"created":"2026-02-28T00:00:00\u005a"}`,
	`{"created":20260228}`,
	`{"created":{}}`,
	" \t\r\n{ \"name\" : \"a\" , \"counted\" :\ttrue\n}\r\n ",
	`{}`,
	`{ }`,
	`[]`,
	`null`,
	`"name"`,
	`{"name":"a",}`,
	`{"name":"a"`,
	`{"name":"a"} x`,
	`{"name":"a"}{}`,
	`{"name" "a"}`,
	`{"name":"a" "dn":"b"}`,
	`{"counted":truex}`,
	`{"counted":tru}`,
	`{"counted":True}`,
	"{\"name\":\"a\x00b\"}",
	"{\"name\":\"\xed\xa0\x80\"}",
	"{\"name\":\"\xc0\xaf\"}",
	`{"excluded":"stale","cal_type":"","cal_version":"2022"}`,
	`{"domain":"","name":"","display_name":"","upn":"","dns_name":"","operating_system":"","dn":"","sid":""}`,
}

// unmarshalAccount is what encoding/json makes of raw in a zero Account.
func unmarshalAccount(raw []byte) (rules.Account, error) {
	var a rules.Account
	err := json.Unmarshal(raw, &a)
	return a, err
}

// checkFast fails t if decodeAccountFast takes raw and makes anything but
// what json.Unmarshal does. It reports whether the fast path was taken.
func checkFast(t *testing.T, raw []byte) bool {
	t.Helper()
	var got rules.Account
	if !decodeAccountFast(raw, &got) {
		return false
	}
	want, err := unmarshalAccount(raw)
	if err != nil {
		t.Fatalf("fast path took %q, json.Unmarshal: %v", raw, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fast path on %q:\n got %#v\nwant %#v", raw, got, want)
	}
	if (got.RDS == nil) != (want.RDS == nil) || got.RDS != nil && !reflect.DeepEqual(*got.RDS, *want.RDS) {
		t.Fatalf("fast path on %q: RDS %#v, want %#v", raw, got.RDS, want.RDS)
	}
	return true
}

// Everything the writer makes of the accounts calscan has goes the fast way,
// and comes out as encoding/json makes it.
func TestDecodeAccountFastWritten(t *testing.T) {
	rep := New(sampleResult(), generatedAt, "0.1.0")
	rep.Users = appendAccounts(rep.Users, manyAccounts(1000, "user")...)
	rep.Devices = appendAccounts(rep.Devices, manyAccounts(1000, "pc")...)
	accounts := writtenAccounts(t, rep)
	if len(accounts) != 2006 {
		t.Fatalf("%d accounts written", len(accounts))
	}
	fallbacks := 0
	for _, raw := range accounts {
		if !checkFast(t, raw) {
			fallbacks++
		}
	}
	if fallbacks != 0 {
		t.Errorf("%d of %d written accounts fell back to json.Unmarshal", fallbacks, len(accounts))
	}
}

// Of the hostile accounts, only those with a string that encoding/json
// writes with a \u escape fall back.
func TestDecodeAccountFastHostile(t *testing.T) {
	rep := New(&rules.Result{Users: rules.NewAccounts(hostileAccounts())}, generatedAt, "0.1.0")
	accounts := writtenAccounts(t, rep)
	fallbacks := 0
	for i, raw := range accounts {
		fast := checkFast(t, raw)
		if fast == bytes.Contains(raw, []byte(`\u`)) {
			t.Errorf("account %d %s: fast path %v", i, raw, fast)
		}
		if !fast {
			fallbacks++
		}
	}
	if fallbacks != 3 { // U+2028, control characters, invalid UTF-8
		t.Errorf("%d fallbacks, want 3", fallbacks)
	}
}

func TestDecodeAccountFastTricky(t *testing.T) {
	wantFast := map[string]bool{ // those that must not fall back
		`{"name":"a","name":"b"}`:                                                   true,
		`{"rds":{"cal_type":"rds-user"},"rds":{"cal_version":"2022"}}`:              true,
		`{"rds":{"issued_expires":"2027-01-01T00:00:00Z"},"rds":{}}`:                true,
		`{"counted":true,"counted":false}`:                                          true,
		`{"last_logon":"2026-02-28T00:00:00+05:30"}`:                                true,
		`{"last_logon":"2026-02-28T00:00:00Z","last_logon":"2027-02-28T00:00:00Z"}`: true,
		" \t\r\n{ \"name\" : \"a\" , \"counted\" :\ttrue\n}\r\n ":                   true,
		`{}`:                               true,
		`{"dn":"CN=Doe\\, John,OU=Staff"}`: true,
		`{"name":"\/\b\f\n\r\t\"\\"}`:      true,
	}
	for _, raw := range trickyAccounts {
		fast := checkFast(t, []byte(raw))
		if wantFast[raw] && !fast {
			t.Errorf("%s fell back", raw)
		}
		if !json.Valid([]byte(raw)) && fast {
			t.Errorf("%s is not JSON, taken", raw)
		}
	}
	var doe rules.Account
	if !decodeAccountFast([]byte(`{"dn":"CN=Doe\\, John"}`), &doe) || doe.DN != `CN=Doe\, John` {
		t.Errorf("escaped DN: %q", doe.DN)
	}
	// Merging repeated "rds" objects, as encoding/json does.
	var a rules.Account
	if !decodeAccountFast([]byte(trickyAccounts[1]), &a) || a.RDS == nil ||
		a.RDS.CALType != rules.CALRDSUser || a.RDS.CALVersion != "2022" {
		t.Errorf("repeated rds: %+v", a.RDS)
	}
}

// Whatever decodeAccountFast accepts, json.Unmarshal accepts and decodes
// the same.
func FuzzDecodeAccountFast(f *testing.F) {
	rep := New(sampleResult(), generatedAt, "0.1.0")
	rep.Users = appendAccounts(rep.Users, append(manyAccounts(3, "user"), hostileAccounts()...)...)
	rep.Devices = appendAccounts(rep.Devices, manyAccounts(3, "pc")...)
	for _, raw := range writtenAccounts(f, rep) {
		f.Add([]byte(raw))
	}
	for _, raw := range trickyAccounts {
		f.Add([]byte(raw))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			// Never taken: the caller has the json.Decoder check syntax
			// first, but the fast path should not depend on it.
			var a rules.Account
			if decodeAccountFast(raw, &a) {
				t.Fatalf("took invalid JSON %q", raw)
			}
			return
		}
		checkFast(t, raw)
	})
}

// benchmarkReportFile writes a report of n users and returns its path.
func benchmarkReportFile(b *testing.B, n int) string {
	b.Helper()
	rep := New(sampleResult(), generatedAt, "0.1.0")
	rep.Users = appendAccounts(rep.Users, manyAccounts(n, "user")...)
	path := filepath.Join(b.TempDir(), JSONFile)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := (&JSON{}).Write(JSONFile, f, rep); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkPreviousReport reads a history file of 200,000 users.
func BenchmarkPreviousReport(b *testing.B) {
	path := benchmarkReportFile(b, 200_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, users, _, err := streamReport(path); err != nil || users.len() != 200_004 {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeAccount is one written account, the fast way and
// encoding/json's.
func BenchmarkDecodeAccount(b *testing.B) {
	rep := New(&rules.Result{Users: rules.NewAccounts(manyAccounts(2, "user"))}, generatedAt, "0.1.0")
	raw := []byte(writtenAccounts(b, rep)[1])
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var a rules.Account
			if !decodeAccountFast(raw, &a) {
				b.Fatal("fell back")
			}
		}
	})
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var a rules.Account
			if err := json.Unmarshal(raw, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// randomAccount writes an object close to what calscan writes: the account's
// keys (sometimes in another case, unknown or repeated), strings with
// escapes, multi-byte and invalid UTF-8, times valid and not, literals of
// the wrong type, an "rds" object, and odd whitespace.
func randomAccount(rng *rand.Rand) []byte {
	pick := func(list ...string) string { return list[rng.IntN(len(list))] }
	ws := func() string {
		if rng.IntN(3) > 0 {
			return ""
		}
		return pick(" ", "\n      ", "\t", "\r\n", "  \n")
	}
	str := func() string {
		var b strings.Builder
		b.WriteByte('"')
		for range rng.IntN(8) {
			b.WriteString(pick("a", "Z", "0", " ", ",", "<", "&", "/", "é", "日本", "😀", "\u2028", "\x7f",
				`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u0041`, `\ud83d\ude00`, `\ud800`,
				"\xff", "\xc3", "\xed\xa0\x80", "\x01", `\x`, `\`))
		}
		b.WriteByte('"')
		return b.String()
	}
	tm := func() string {
		return `"` + pick("2026", "1999", "0000", "9999", "10000") + "-" + pick("01", "02", "12", "13", "00") + "-" +
			pick("01", "28", "29", "30", "31", "32") + pick("T", "t", " ") + pick("00", "23", "24") + ":" +
			pick("00", "59", "60") + ":" + pick("00", "59", "60") + pick("", ".1", ".123456789", ".1234567891", ",5", ".") +
			pick("Z", "z", "+05:30", "-08:00", "+24:00", "+00:00", "", "+0530", `\/`) + `"`
	}
	value := func(kind byte) string {
		if rng.IntN(12) == 0 {
			return pick("null", "true", "false", "0", "-1.5e3", `""`, "[]", "{}", `["a"]`, `{"a":1}`)
		}
		switch kind {
		case 's':
			return str()
		case 't':
			return tm()
		default:
			return pick("true", "false")
		}
	}
	object := func(keys []string, kinds string, rds func() string) string {
		var b strings.Builder
		b.WriteString(ws() + "{" + ws())
		for i := range rng.IntN(len(keys) + 3) {
			if i > 0 {
				b.WriteString(ws() + "," + ws())
			}
			k := rng.IntN(len(keys))
			key := keys[k]
			switch rng.IntN(20) {
			case 0:
				key = strings.ToUpper(key[:1]) + key[1:]
			case 1:
				key = "unknown"
			case 2:
				key = `na\u006de`
			}
			b.WriteString(`"` + key + `"` + ws() + ":" + ws())
			if kinds[k] == 'r' && rds != nil && rng.IntN(8) > 0 {
				b.WriteString(rds())
			} else {
				b.WriteString(value(kinds[k]))
			}
		}
		b.WriteString(ws() + "}" + ws())
		return b.String()
	}
	rdsKeys := []string{"cal_type", "cal_version", "issued_version", "issued_expires", "license_server"}
	rds := func() string { return object(rdsKeys, "ssstss", nil) }
	keys := []string{"domain", "name", "display_name", "upn", "dns_name", "operating_system", "dn", "sid",
		"last_logon", "created", "counted", "excluded", "cal_type", "cal_version", "external", "rds"}
	text := object(keys, "ssssssssttbsssbr", rds)
	if rng.IntN(50) == 0 { // a syntax error
		i := rng.IntN(len(text))
		text = text[:i] + pick("", ",", "}", `"`, "x") + text[i+1:]
	}
	return []byte(text)
}

// Many random near-misses of calscan's accounts: whatever the fast path
// takes, json.Unmarshal decodes the same, and it takes a good share.
func TestDecodeAccountFastRandom(t *testing.T) {
	n := 20_000
	if testing.Short() {
		n = 2_000
	}
	rng := rand.New(rand.NewPCG(1, 2))
	fast, valid := 0, 0
	for range n {
		raw := randomAccount(rng)
		var a rules.Account
		if !json.Valid(raw) {
			if decodeAccountFast(raw, &a) {
				t.Fatalf("took invalid JSON %q", raw)
			}
			continue
		}
		valid++
		if checkFast(t, raw) {
			fast++
		}
	}
	t.Logf("%d objects, %d valid JSON, %d taken by the fast path", n, valid, fast)
	if fast < valid/20 {
		t.Errorf("only %d of %d taken: the test no longer tests the fast path", fast, valid)
	}
}
