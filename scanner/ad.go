package scanner

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// DecodeSID renders a binary objectSid (MS-DTYP 2.4.2.2) as S-1-5-21-….
// The layout is: revision (1 byte, always 1), sub-authority count (1 byte,
// at most 15), identifier authority (6 bytes, big-endian), then the
// sub-authorities (4 bytes each, little-endian).
func DecodeSID(b []byte) (string, error) {
	const header, maxSubAuthorities = 8, 15
	if len(b) < header {
		return "", fmt.Errorf("sid: %d bytes, want at least %d", len(b), header)
	}
	revision, count := b[0], int(b[1])
	if revision != 1 {
		return "", fmt.Errorf("sid: revision %d, want 1", revision)
	}
	if count > maxSubAuthorities {
		return "", fmt.Errorf("sid: %d sub-authorities, at most %d allowed", count, maxSubAuthorities)
	}
	if want := header + 4*count; len(b) != want {
		return "", fmt.Errorf("sid: %d bytes for %d sub-authorities, want %d", len(b), count, want)
	}

	var authority uint64
	for _, c := range b[2:header] {
		authority = authority<<8 | uint64(c)
	}

	// Every object has one: built in a stack buffer, one allocation each.
	var buf [4 + 14 + maxSubAuthorities*11]byte
	s := append(buf[:0], "S-1-"...)
	if authority >= 1<<32 {
		// MS-DTYP 2.4.2.1: authorities that do not fit 32 bits are written in hex.
		s = fmt.Appendf(s, "0x%012X", authority)
	} else {
		s = strconv.AppendUint(s, authority, 10)
	}
	for i := range count {
		off := header + 4*i
		s = append(s, '-')
		s = strconv.AppendUint(s, uint64(binary.LittleEndian.Uint32(b[off:off+4])), 10)
	}
	return string(s), nil
}

// fileTimeEpochOffset is the number of seconds from 1601-01-01 (the FILETIME
// epoch) to 1970-01-01 (the Unix epoch).
const fileTimeEpochOffset = 11644473600

// DecodeFileTime decodes an AD integer time (lastLogonTimestamp, pwdLastSet,
// accountExpires): 100 ns ticks since 1601-01-01 UTC, as decimal text.
// "0" and 9223372036854775807 both mean "never" and give the zero time.
func DecodeFileTime(s string) (time.Time, error) {
	ticks, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("filetime %q: not a 64-bit integer", s)
	}
	switch {
	case ticks == 0 || ticks == math.MaxInt64:
		return time.Time{}, nil
	case ticks < 0:
		return time.Time{}, fmt.Errorf("filetime %q: negative", s)
	}
	const ticksPerSecond = 10_000_000
	sec := ticks/ticksPerSecond - fileTimeEpochOffset
	nsec := (ticks % ticksPerSecond) * 100
	return time.Unix(sec, nsec).UTC(), nil
}

// DecodeGeneralizedTime decodes an LDAP GeneralizedTime (RFC 4517 3.3.13)
// such as whenCreated's "20240101000000.0Z". Minutes and seconds may be
// omitted, a fraction may follow (with "." or ","), and the zone is "Z" or
// ±hh[mm]. The result is in UTC.
func DecodeGeneralizedTime(s string) (time.Time, error) {
	t, err := parseGeneralizedTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("generalized time %q: %w", s, err)
	}
	return t, nil
}

func parseGeneralizedTime(s string) (time.Time, error) {
	digits := leadingDigits(s)
	if digits != 10 && digits != 12 && digits != 14 {
		return time.Time{}, errors.New("want YYYYMMDDHH[MM[SS]]")
	}
	field := func(i, n int) int { v, _ := strconv.Atoi(s[i : i+n]); return v }
	year, month, day, hour := field(0, 4), field(4, 2), field(6, 2), field(8, 2)
	minute, second := 0, 0
	if digits >= 12 {
		minute = field(10, 2)
	}
	if digits == 14 {
		second = field(12, 2)
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 {
		return time.Time{}, errors.New("field out of range")
	}
	rest := s[digits:]

	// A fraction applies to the last field given (RFC 4517); AD writes ".0".
	var fraction time.Duration
	if rest != "" && (rest[0] == '.' || rest[0] == ',') {
		n := leadingDigits(rest[1:])
		if n == 0 {
			return time.Time{}, errors.New("empty fraction")
		}
		f, _ := strconv.ParseFloat("0."+rest[1:1+n], 64)
		unit := time.Second
		switch digits {
		case 10:
			unit = time.Hour
		case 12:
			unit = time.Minute
		}
		fraction = time.Duration(f * float64(unit))
		rest = rest[1+n:]
	}

	offset, err := parseZone(rest)
	if err != nil {
		return time.Time{}, err
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, errors.New("no such day")
	}
	return t.Add(fraction).Add(-offset).UTC(), nil
}

// parseZone reads "Z", "+hh", "+hhmm", "-hh" or "-hhmm" as an offset east of UTC.
func parseZone(z string) (time.Duration, error) {
	if z == "Z" {
		return 0, nil
	}
	if z == "" {
		return 0, errors.New("missing time zone")
	}
	sign := time.Duration(1)
	switch z[0] {
	case '+':
	case '-':
		sign = -1
	default:
		return 0, fmt.Errorf("bad time zone %q", z)
	}
	body := z[1:]
	if n := leadingDigits(body); n != len(body) || (n != 2 && n != 4) {
		return 0, fmt.Errorf("bad time zone %q", z)
	}
	hours, _ := strconv.Atoi(body[:2])
	minutes := 0
	if len(body) == 4 {
		minutes, _ = strconv.Atoi(body[2:])
	}
	if hours > 23 || minutes > 59 {
		return 0, fmt.Errorf("bad time zone %q", z)
	}
	return sign * (time.Duration(hours)*time.Hour + time.Duration(minutes)*time.Minute), nil
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// DecodeUAC decodes userAccountControl. AD stores it as a signed 32-bit
// integer, so values with the top bit set may arrive negative; both forms
// give the same flag bits.
func DecodeUAC(s string) (uint32, error) {
	v, err := decodeInt32Bits(s)
	if err != nil {
		return 0, fmt.Errorf("userAccountControl %q: %w", s, err)
	}
	return v, nil
}

// decodeInt32Bits parses a decimal AD Integer (signed 32-bit, sometimes
// written unsigned) into its 32 bits.
func decodeInt32Bits(s string) (uint32, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || v < math.MinInt32 || v > math.MaxUint32 {
		return 0, errors.New("not a 32-bit integer")
	}
	return uint32(v), nil
}
