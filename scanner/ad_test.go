package scanner_test

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/calscan/calscan/scanner"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex in test table: %v", err)
	}
	return b
}

func TestDecodeSID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		hex     string
		want    string
		wantErr string
	}{
		{name: "builtin administrators", hex: "01020000000000052000000020020000", want: "S-1-5-32-544"},
		{name: "domain admins", hex: "010500000000000515000000dcf4dc3b833d2b46828ba62800020000",
			want: "S-1-5-21-1004336348-1177238915-682003330-512"},
		{name: "everyone", hex: "010100000000000100000000", want: "S-1-1-0"},
		{name: "no sub-authorities", hex: "0100000000000005", want: "S-1-5"},
		{name: "authority over 32 bits is hex", hex: "010101020304050607000000", want: "S-1-0x010203040506-7"},
		{name: "empty", hex: "", wantErr: "0 bytes"},
		{name: "shorter than the header", hex: "01020000000000", wantErr: "at least 8"},
		{name: "revision 2", hex: "02010000000000050a000000", wantErr: "revision 2"},
		{name: "too many sub-authorities", hex: "0110000000000005", wantErr: "16 sub-authorities"},
		{name: "truncated sub-authority", hex: "010200000000000520000000200200", wantErr: "want 16"},
		{name: "trailing bytes", hex: "0101000000000001000000000000", wantErr: "want 12"},
		{name: "garbage count", hex: "01ff000000000005", wantErr: "255 sub-authorities"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := scanner.DecodeSID(mustHex(t, tt.hex))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DecodeSID(%s) = %q, %v; want error containing %q", tt.hex, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("DecodeSID(%s) = %q, %v; want %q", tt.hex, got, err, tt.want)
			}
		})
	}
}

// Truncating a valid SID anywhere must give an error, never a panic.
func TestDecodeSIDEveryTruncation(t *testing.T) {
	t.Parallel()
	full := mustHex(t, "010500000000000515000000dcf4dc3b833d2b46828ba62800020000")
	for n := range len(full) {
		t.Run(fmt.Sprintf("%d bytes", n), func(t *testing.T) {
			if got, err := scanner.DecodeSID(full[:n]); err == nil {
				t.Fatalf("DecodeSID of %d of %d bytes = %q, want an error", n, len(full), got)
			}
		})
	}
}

func TestDecodeFileTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr bool
	}{
		{name: "zero means never", in: "0", want: time.Time{}},
		{name: "max int64 means never", in: "9223372036854775807", want: time.Time{}},
		{name: "unix epoch", in: "116444736000000000", want: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "2024 new year", in: "133485408000000000", want: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "sub-second ticks", in: "133485408001234567", want: time.Date(2024, 1, 1, 0, 0, 0, 123456700, time.UTC)},
		{name: "FILETIME epoch plus one tick", in: "1", want: time.Date(1601, 1, 1, 0, 0, 0, 100, time.UTC)},
		{name: "surrounding space", in: " 133485408000000000\n", want: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "negative", in: "-1", wantErr: true},
		{name: "empty", in: "", wantErr: true},
		{name: "garbage", in: "never", wantErr: true},
		{name: "decimal point", in: "1.5", wantErr: true},
		{name: "overflows int64", in: "9223372036854775808", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := scanner.DecodeFileTime(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("DecodeFileTime(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Fatalf("DecodeFileTime(%q) = %v, %v; want %v UTC", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDecodeGeneralizedTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr bool
	}{
		{name: "AD form", in: "20240101000000.0Z", want: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "no fraction", in: "20240229123456Z", want: time.Date(2024, 2, 29, 12, 34, 56, 0, time.UTC)},
		{name: "fraction of a second", in: "20240101000000.5Z", want: time.Date(2024, 1, 1, 0, 0, 0, 500e6, time.UTC)},
		{name: "comma fraction", in: "20240101000000,25Z", want: time.Date(2024, 1, 1, 0, 0, 0, 250e6, time.UTC)},
		{name: "minutes only", in: "202401011230Z", want: time.Date(2024, 1, 1, 12, 30, 0, 0, time.UTC)},
		{name: "hours only with fraction", in: "2024010112.5Z", want: time.Date(2024, 1, 1, 12, 30, 0, 0, time.UTC)},
		{name: "positive offset", in: "20240101000000+0130", want: time.Date(2023, 12, 31, 22, 30, 0, 0, time.UTC)},
		{name: "negative hour offset", in: "20240101000000-05", want: time.Date(2024, 1, 1, 5, 0, 0, 0, time.UTC)},
		{name: "empty", in: "", wantErr: true},
		{name: "date only", in: "20240101Z", wantErr: true},
		{name: "no zone", in: "20240101000000", wantErr: true},
		{name: "empty fraction", in: "20240101000000.Z", wantErr: true},
		{name: "no such day", in: "20230229000000Z", wantErr: true},
		{name: "month 13", in: "20241301000000Z", wantErr: true},
		{name: "hour 24", in: "20240101240000Z", wantErr: true},
		{name: "colon in zone", in: "20240101000000+01:00", wantErr: true},
		{name: "trailing junk", in: "20240101000000Zjunk", wantErr: true},
		{name: "garbage", in: "yesterday", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := scanner.DecodeGeneralizedTime(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("DecodeGeneralizedTime(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Fatalf("DecodeGeneralizedTime(%q) = %v, %v; want %v UTC", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDecodeUAC(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    uint32
		wantErr bool
	}{
		{in: "512", want: scanner.UACNormalAccount},
		{in: "514", want: scanner.UACNormalAccount | scanner.UACAccountDisable},
		{in: "4096", want: scanner.UACWorkstationTrust},
		{in: "532480", want: scanner.UACServerTrust | 0x80000},
		{in: "-2147483648", want: 0x80000000},
		{in: "4294967295", want: 0xFFFFFFFF},
		{in: "4294967296", wantErr: true},
		{in: "", wantErr: true},
		{in: "0x200", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := scanner.DecodeUAC(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("DecodeUAC(%q) = %#x, %v; want %#x, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// adBindError is a result-49 answer as AD words it.
func adBindError(data string) error {
	return ldap.NewError(ldap.LDAPResultInvalidCredentials, fmt.Errorf(
		"80090308: LdapErr: DSID-0C090439, comment: AcceptSecurityContext error, data %s, v4563", data))
}

func TestExplainBindError(t *testing.T) {
	t.Parallel()
	other := errors.New("dial tcp 127.0.0.1:1: connect: connection refused")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "525", err: adBindError("525"), want: "invalid credentials (AD data 525: user not found)"},
		{name: "52e", err: adBindError("52e"), want: "invalid credentials (AD data 52e: wrong password)"},
		{name: "530", err: adBindError("530"), want: "invalid credentials (AD data 530: logon not permitted at this time)"},
		{name: "531", err: adBindError("531"), want: "invalid credentials (AD data 531: logon not permitted from this workstation)"},
		{name: "532", err: adBindError("532"), want: "invalid credentials (AD data 532: password expired)"},
		{name: "533", err: adBindError("533"), want: "invalid credentials (AD data 533: account disabled)"},
		{name: "701", err: adBindError("701"), want: "invalid credentials (AD data 701: account expired)"},
		{name: "773", err: adBindError("773"), want: "invalid credentials (AD data 773: user must reset password)"},
		{name: "775", err: adBindError("775"), want: "invalid credentials (AD data 775: account locked out)"},
		{name: "upper-case code", err: adBindError("52E"), want: "invalid credentials (AD data 52e: wrong password)"},
		{name: "unknown code", err: adBindError("999"), want: "invalid credentials (AD data 999)"},
		{name: "no data code", err: ldap.NewError(ldap.LDAPResultInvalidCredentials, errors.New("")), want: "invalid credentials"},
		{name: "wrapped", err: fmt.Errorf("bind: %w", adBindError("775")), want: "invalid credentials (AD data 775: account locked out)"},
		{name: "strong auth required",
			err:  ldap.NewError(ldap.LDAPResultStrongAuthRequired, errors.New("00002028: LdapErr: DSID-0C090259, comment: The server requires binds to turn on integrity checking if SSL\\TLS are not already active on the connection, data 0, v4563")),
			want: "strong(er) authentication required: the DC requires signing/TLS: use ldaps:// or start_tls = true"},
		{name: "not a bind error", err: other, want: other.Error()},
		{name: "nil", err: nil, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := scanner.ExplainBindError(tt.err); got != tt.want {
				t.Fatalf("ExplainBindError() = %q, want %q", got, tt.want)
			}
		})
	}
}
