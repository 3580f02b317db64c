package scanner

import (
	"encoding/binary"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The fuzz targets below hold the AD decoders to properties, not just to not
// crashing: what decodes re-encodes to the same bytes, and what is rejected is
// rejected with an error rather than a half-filled value. Seeds are in
// testdata/fuzz/<target>; `go test` runs them as ordinary tests.

var sidText = regexp.MustCompile(`^S-1-(0x[0-9A-F]{12}|[0-9]+)(-[0-9]+)*$`)

// encodeSID is DecodeSID's inverse, for the round trip.
func encodeSID(t *testing.T, s string) []byte {
	t.Helper()
	parts := strings.Split(strings.TrimPrefix(s, "S-1-"), "-")
	var authority uint64
	var err error
	if hex, ok := strings.CutPrefix(parts[0], "0x"); ok {
		authority, err = strconv.ParseUint(hex, 16, 48)
	} else {
		authority, err = strconv.ParseUint(parts[0], 10, 48)
	}
	if err != nil {
		t.Fatalf("authority of %q: %v", s, err)
	}
	b := []byte{1, byte(len(parts) - 1)}
	b = binary.BigEndian.AppendUint64(b, authority)
	b = slices.Delete(b, 2, 4) // 8 bytes written, the authority is 6
	for _, p := range parts[1:] {
		sub, err := strconv.ParseUint(p, 10, 32)
		if err != nil {
			t.Fatalf("sub-authority of %q: %v", s, err)
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(sub))
	}
	return b
}

func FuzzDecodeSID(f *testing.F) {
	f.Add([]byte{1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0x57, 0x04, 0, 0, 0xae, 0x08, 0, 0, 0x05, 0x0d, 0, 0, 0x51, 0x04, 0, 0})
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte("S-1-5-21-1-2-3-500"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSID(b)
		if err != nil {
			if s != "" {
				t.Fatalf("error %v with a value %q", err, s)
			}
			return
		}
		if !sidText.MatchString(s) {
			t.Fatalf("DecodeSID(%x) = %q, not a SID string", b, s)
		}
		if back := encodeSID(t, s); !slices.Equal(back, b) {
			t.Fatalf("DecodeSID(%x) = %q, which encodes back to %x", b, s, back)
		}
	})
}

func FuzzDecodeFileTime(f *testing.F) {
	for _, s := range []string{"0", "9223372036854775807", "133497600000000000", " 133497600000000001 ", "-1", "1e9", "", "18446744073709551616"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := DecodeFileTime(s)
		ticks, perr := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		switch {
		case perr != nil || ticks < 0:
			if err == nil {
				t.Fatalf("DecodeFileTime(%q) = %v, want an error", s, got)
			}
		case ticks == 0 || ticks == math.MaxInt64:
			if err != nil || !got.IsZero() {
				t.Fatalf("DecodeFileTime(%q) = %v, %v; want the zero time (never)", s, got, err)
			}
		default:
			if err != nil {
				t.Fatalf("DecodeFileTime(%q): %v", s, err)
			}
			if got.Location() != time.UTC {
				t.Fatalf("DecodeFileTime(%q) in %v, want UTC", s, got.Location())
			}
			back := (got.Unix()+fileTimeEpochOffset)*10_000_000 + int64(got.Nanosecond()/100)
			if back != ticks {
				t.Fatalf("DecodeFileTime(%q) = %v, which is %d ticks", s, got, back)
			}
		}
	})
}

func FuzzDecodeGeneralizedTime(f *testing.F) {
	for _, s := range []string{"20240101000000.0Z", "2024010112Z", "202401011230+0130", "20240229235960,5-0800", "20230229000000Z", "19700101000000", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := DecodeGeneralizedTime(s)
		if err != nil {
			if !got.IsZero() {
				t.Fatalf("error %v with a value %v", err, got)
			}
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("DecodeGeneralizedTime(%q) in %v, want UTC", s, got.Location())
		}
		// The input's own year, moved at most a day by the zone and a fraction.
		year, _ := strconv.Atoi(s[:4])
		if got.Year() < year-1 || got.Year() > year+1 {
			t.Fatalf("DecodeGeneralizedTime(%q) = %v: year %d", s, got, got.Year())
		}
	})
}

var knownEditions = []string{"", "standard", "datacenter", "enterprise", "essentials", "foundation", "web", "storage", "hyper-v"}

var knownReleases = []string{"", "2000", "2003", "2003 R2", "2008", "2008 R2", "2012", "2012 R2", "2016", "2019", "2022", "2025"}

func FuzzParseOS(f *testing.F) {
	for _, p := range [][2]string{
		{"Windows Server 2022 Datacenter", "10.0 (20348)"},
		{"Windows Server® 2008 Standard-Edition (Französisch)", "6.0 (6002)"},
		{"Windows Server 2012 R2 Datacenter Evaluation", "6.3 (9600)"},
		{"Windows 10 Enterprise LTSC", "10.0 (17763)"},
		{"Hyper-V Server 2019", "10.0 (17763)"},
		{"Windows Server Datacenter: Azure Edition", "10.0 (20348)"},
		{"Samba 4.17", ""},
		{"OpenVMS 9.2", "V9.2"},
		{"Windows", "10.0 (99999999999999999999)"},
		{"", ""},
	} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, name, version string) {
		info := ParseOS(name, version)
		if info != ParseOS(name, version) {
			t.Fatalf("ParseOS(%q, %q) is not deterministic", name, version)
		}
		if !slices.Contains(knownReleases, info.Release) {
			t.Fatalf("ParseOS(%q, %q): release %q is not one calscan knows", name, version, info.Release)
		}
		if info.Build < 0 {
			t.Fatalf("ParseOS(%q, %q): negative build %d", name, version, info.Build)
		}
		if !slices.Contains(knownEditions, info.Edition) {
			t.Fatalf("ParseOS(%q, %q): edition %q is not one calscan knows", name, version, info.Edition)
		}
		if info.Family != OSWindowsServer && info.Family != OSHyperVServer {
			if info.Release != "" || info.Edition != "" || info.Evaluation || info.AzureEdition {
				t.Fatalf("ParseOS(%q, %q) = %+v: release or edition set for a %v", name, version, info, info.Family)
			}
		}
	})
}
