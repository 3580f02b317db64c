package adsim

import (
	"encoding/binary"
	"strconv"
	"strings"
	"time"
)

// AD's "never" for accountExpires (0 means never as well).
const neverExpires = "9223372036854775807"

// fileTime is t as AD's FILETIME: 100 ns ticks since 1601-01-01 UTC, decimal.
func fileTime(t time.Time) string {
	const epochDelta = 11644473600 // seconds from 1601 to 1970
	return strconv.FormatInt((t.Unix()+epochDelta)*10_000_000+int64(t.Nanosecond()/100), 10)
}

// generalizedTime is t in AD's generalized-time syntax, "20240101000000.0Z".
func generalizedTime(t time.Time) string {
	return t.UTC().Format("20060102150405") + ".0Z"
}

// encodeSID is the binary form of a SID with authority 5 (NT Authority):
// revision, sub-authority count, 6-byte big-endian authority, then
// little-endian uint32 sub-authorities.
func encodeSID(subs ...uint32) string {
	b := make([]byte, 8+4*len(subs))
	b[0] = 1
	b[1] = byte(len(subs))
	b[7] = 5
	for i, s := range subs {
		binary.LittleEndian.PutUint32(b[8+4*i:], s)
	}
	return string(b)
}

// parseSIDString turns "S-1-5-21-…" into the binary form, so filters may name
// a SID as text as AD allows. ok is false for anything else.
func parseSIDString(s string) (string, bool) {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || !strings.EqualFold(parts[0], "S") || parts[1] != "1" || len(parts) > 3+15 {
		return "", false
	}
	auth, err := strconv.ParseUint(parts[2], 10, 48)
	if err != nil {
		return "", false
	}
	subs := parts[3:]
	b := make([]byte, 8+4*len(subs))
	b[0] = 1
	b[1] = byte(len(subs))
	for i := 0; i < 6; i++ {
		b[7-i] = byte(auth >> (8 * i))
	}
	for i, p := range subs {
		v, err := strconv.ParseUint(p, 10, 32)
		if err != nil {
			return "", false
		}
		binary.LittleEndian.PutUint32(b[8+4*i:], uint32(v))
	}
	return string(b), true
}
