package rules

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Usage is evidence of which users use which client devices (usage_csv, §5):
// distinct user,device pairs, with the names as the file wrote them.
type Usage struct {
	source  string
	users   []string // distinct user names, lower-cased
	devices []string // distinct device names, lower-cased, without a trailing "$"
	pairs   []usagePair
}

type usagePair struct{ user, device int32 }

// Pairs is how many distinct user,device pairs the evidence holds.
func (u *Usage) Pairs() int {
	if u == nil {
		return 0
	}
	return len(u.pairs)
}

// Source is the file the evidence was read from.
func (u *Usage) Source() string {
	if u == nil {
		return ""
	}
	return u.source
}

// LoadUsage reads a usage CSV file (see ParseUsage).
func LoadUsage(path string) (*Usage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("usage csv: %w", err)
	}
	defer f.Close()
	return ParseUsage(f, path)
}

// Column names (lower case, without blanks, "_" or "-") that hold the user
// and the device. Plain files are "user,device" with an optional header;
// exports from User Access Logging, RD Connection Broker or SIEM tools carry
// more columns, of which the first known user and device column are used.
var (
	userColumns = []string{"user", "username", "useraccount", "account", "accountname", "samaccountname",
		"userprincipalname", "upn", "authenticatedusername", "authenticateduser", "login", "loginname", "logonname"}
	deviceColumns = []string{"device", "devicename", "computer", "computername", "clientname", "client",
		"clientcomputer", "clientcomputername", "clientdevice", "workstation", "workstationname",
		"machine", "machinename", "hostname", "dnshostname"}
)

// ParseUsage reads user,device pairs of real access. It accepts a header or
// none, a UTF-8 byte order mark, PowerShell's "#TYPE" first line, and comma,
// semicolon or tab separators. Names are matched later, case-insensitively:
// users by sAMAccountName, UPN or DOMAIN\name; devices by computer name or
// dNSHostName. A malformed file is an error that names the line.
func ParseUsage(r io.Reader, source string) (*Usage, error) {
	br := bufio.NewReader(r)
	skipped, err := skipPreamble(br)
	if err != nil {
		return nil, fmt.Errorf("usage csv %s: %w", source, err)
	}
	first, err := br.Peek(peekSize(br))
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("usage csv %s: %w", source, err)
	}
	cr := csv.NewReader(br)
	cr.Comma = guessSeparator(first)
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	p := &usageParser{usage: &Usage{source: source}, cr: cr, lineOffset: skipped,
		userIDs: map[string]int32{}, deviceIDs: map[string]int32{}, seen: map[usagePair]struct{}{}}
	if err := p.parse(); err != nil {
		return nil, fmt.Errorf("usage csv %s: %w", source, err)
	}
	return p.usage, nil
}

// skipPreamble drops a byte order mark and a PowerShell "#TYPE …" line, and
// says how many lines it dropped.
func skipPreamble(br *bufio.Reader) (int, error) {
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		if _, err := br.Discard(3); err != nil {
			return 0, err
		}
	}
	head, _ := br.Peek(5)
	if string(head) != "#TYPE" {
		return 0, nil
	}
	if _, err := br.ReadString('\n'); err != nil && !errors.Is(err, io.EOF) {
		return 0, err
	}
	return 1, nil
}

func peekSize(br *bufio.Reader) int { return min(br.Size(), 4096) }

// guessSeparator picks the separator of the first line: a comma unless the
// line has none and has a semicolon (spreadsheets in many locales) or a tab.
func guessSeparator(head []byte) rune {
	line, _, _ := strings.Cut(string(head), "\n")
	switch {
	case strings.Contains(line, ","):
		return ','
	case strings.Contains(line, ";"):
		return ';'
	case strings.Contains(line, "\t"):
		return '\t'
	}
	return ','
}

type usageParser struct {
	usage      *Usage
	cr         *csv.Reader
	lineOffset int // lines dropped before the CSV reader started
	userCol    int
	deviceCol  int
	userIDs    map[string]int32
	deviceIDs  map[string]int32
	seen       map[usagePair]struct{}
}

func (p *usageParser) parse() error {
	p.userCol, p.deviceCol = 0, 1
	for n := 0; ; n++ {
		rec, err := p.cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return p.csvError(err)
		}
		line := p.line()
		if n == 0 {
			header, err := p.header(rec, line)
			if err != nil {
				return err
			}
			if header {
				continue
			}
		}
		if err := p.row(rec, line); err != nil {
			return err
		}
	}
}

func (p *usageParser) line() int {
	line, _ := p.cr.FieldPos(0)
	return line + p.lineOffset
}

func (p *usageParser) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d: %w", pe.Line+p.lineOffset, pe.Err)
	}
	return err
}

// header recognises a first record of column names and finds the user and
// device columns in it. A first record with no known name is data.
func (p *usageParser) header(rec []string, line int) (bool, error) {
	userCol, deviceCol := findColumn(rec, userColumns), findColumn(rec, deviceColumns)
	switch {
	case userCol < 0 && deviceCol < 0:
		if len(rec) != 2 {
			return false, fmt.Errorf("line %d: %d columns and no header: write user,device on each line, or name the columns in a header (user, device)", line, len(rec))
		}
		return false, nil
	case userCol < 0:
		return false, fmt.Errorf("line %d: the header has no user column: name it one of %s", line, strings.Join(userColumns[:4], ", "))
	case deviceCol < 0:
		return false, fmt.Errorf("line %d: the header has no device column: name it one of %s", line, strings.Join(deviceColumns[:6], ", "))
	}
	p.userCol, p.deviceCol = userCol, deviceCol
	return true, nil
}

func findColumn(rec []string, names []string) int {
	for _, want := range names {
		for i, f := range rec {
			if columnKey(f) == want {
				return i
			}
		}
	}
	return -1
}

func columnKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '"', '\t':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

func (p *usageParser) row(rec []string, line int) error {
	if len(rec) <= max(p.userCol, p.deviceCol) {
		return fmt.Errorf("line %d: %d columns, expected at least %d", line, len(rec), max(p.userCol, p.deviceCol)+1)
	}
	userName := strings.ToLower(strings.TrimSpace(rec[p.userCol]))
	deviceName := deviceKey(rec[p.deviceCol])
	switch {
	case userName == "":
		return fmt.Errorf("line %d: the user is empty", line)
	case deviceName == "":
		return fmt.Errorf("line %d: the device is empty", line)
	}
	pair := usagePair{intern(p.userIDs, &p.usage.users, userName), intern(p.deviceIDs, &p.usage.devices, deviceName)}
	if _, dup := p.seen[pair]; !dup {
		p.seen[pair] = struct{}{}
		p.usage.pairs = append(p.usage.pairs, pair)
	}
	return nil
}

// deviceKey lower-cases a device name and drops a DOMAIN\ prefix and the
// trailing "$" of a computer account.
func deviceKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.LastIndexByte(s, '\\'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSuffix(s, "$")
}

func intern(ids map[string]int32, names *[]string, name string) int32 {
	if id, ok := ids[name]; ok {
		return id
	}
	name = strings.Clone(name)
	id := int32(len(*names))
	ids[name] = id
	*names = append(*names, name)
	return id
}
