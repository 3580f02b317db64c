package scanner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

func TestLDIFExportsDecodeAlike(t *testing.T) {
	for _, file := range []string{"ldifde.ldif", "ldapsearch.ldif"} {
		t.Run(file, func(t *testing.T) {
			src := NewLDIF("corp", filepath.Join("testdata", file), "DC=corp,DC=example,DC=test", zerolog.New(zerolog.NewTestWriter(t)))
			var got []Object
			err := src.Scan(context.Background(), func(o *Object) error {
				got = append(got, *o)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 {
				t.Fatalf("got %d objects, want 3 (user, computer, group; the OU is skipped)", len(got))
			}
			user, computer, group := got[0], got[1], got[2]
			if user.Kind != KindUser || user.SAMAccountName != "alice" || user.DisplayName != "Alice Müller" ||
				user.SID != "S-1-5-21-1111-2222-3333-1105" || user.UserAccountControl != 512 || user.PrimaryGroupID != 513 ||
				user.LastLogon.IsZero() || !user.AccountExpires.IsZero() || user.WhenCreated.Year() != 2024 ||
				len(user.MemberOf) != 1 || user.Domain != "corp" {
				t.Errorf("user = %+v", user)
			}
			if computer.Kind != KindComputer || computer.Name() != "APP01" || computer.OperatingSystem != "Windows Server 2022 Datacenter" ||
				computer.OperatingSystemVersion != "10.0 (20348)" || computer.DNSHostName != "app01.corp.example.test" {
				t.Errorf("computer = %+v (folded line joined?)", computer)
			}
			if group.Kind != KindGroup || group.SID != "S-1-5-21-1111-2222-3333-1300" {
				t.Errorf("group = %+v", group)
			}
		})
	}
}

func TestLDIFMalformedNamesLine(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		msg        string
	}{
		{"no colon", "dn: CN=a,DC=x\nobjectClass: user\nthis is not ldif\n", 3, "attribute: value"},
		{"bad base64", "dn: CN=a,DC=x\nobjectSid:: !!!notbase64\n", 2, "base64"},
		{"second dn", "dn: CN=a,DC=x\ndn: CN=b,DC=x\n", 2, "second dn"},
		{"no dn", "objectClass: user\n", 1, "without a dn"},
		{"leading continuation", " folded\n", 1, "continuation"},
		{"modify record", "dn: CN=a,DC=x\nchangetype: modify\n", 2, "modify"},
		{"url value", "dn: CN=a,DC=x\njpegPhoto:< file:///etc/passwd\n", 2, "URL"},
		{"crlf counted", "dn: CN=a,DC=x\r\n\r\ndn: CN=b,DC=x\r\nbroken\r\n", 4, "attribute: value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ReadLDIF(strings.NewReader(tt.text), func(*LDIFEntry) error { return nil })
			var le *LDIFError
			if !errors.As(err, &le) {
				t.Fatalf("want *LDIFError, got %v", err)
			}
			if le.Line != tt.line || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v, want line %d mentioning %q", err, tt.line, tt.msg)
			}
		})
	}
}

func TestLDIFScanErrorIsDirectoryError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.ldif")
	if err := os.WriteFile(path, []byte("dn: CN=a,DC=x\nobjectClass user\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := NewLDIF("branch", path, "", zerolog.Nop()).Scan(context.Background(), func(*Object) error { return nil })
	var de *DirectoryError
	if !errors.As(err, &de) || de.Directory != "branch" || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("want a DirectoryError for branch naming line 2, got %v", err)
	}
}

func TestLDIFBaseDNFilters(t *testing.T) {
	src := NewLDIF("corp", filepath.Join("testdata", "ldapsearch.ldif"), "OU=Servers,DC=corp,DC=example,DC=test", zerolog.Nop())
	n := 0
	if err := src.Scan(context.Background(), func(*Object) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("base OU=Servers gave %d objects, want 1", n)
	}
}

func FuzzReadLDIF(f *testing.F) {
	for _, file := range []string{"ldifde.ldif", "ldapsearch.ldif"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("dn: CN=a\n objectSid:: AQ==\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var o Object
		_ = ReadLDIF(strings.NewReader(string(data)), func(e *LDIFEntry) error {
			_ = decodeObject(&o, kindOf(e.strings("objectClass"), e.first("objectCategory")), "d", e.DN, e.values)
			return nil
		})
	})
}
