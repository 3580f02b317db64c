package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// previousReport reads history files the way LoadReport does, accepting
// and rejecting the same ones with the same errors, only in less memory.
func FuzzPreviousReport(f *testing.F) {
	var good bytes.Buffer
	rep := New(sampleResult(), generatedAt, "0.1.0")
	rep.Users = appendAccounts(rep.Users, manyAccounts(3, "user")...)
	if err := (&JSON{}).Write(JSONFile, &good, rep); err != nil {
		f.Fatal(err)
	}
	text := good.String()
	f.Add(text)
	f.Add(strings.Replace(text, `"users"`, `"Users"`, 1))
	f.Add(strings.Replace(text, `"counted": true`, `"counted": "yes"`, 1))
	f.Add(strings.Replace(text, `"last_logon": "`, `"last_logon": "x`, 1))
	f.Add(strings.Replace(text, `"schema_version": 1`, `"schema_version": 99`, 1))
	f.Add(text[:len(text)/2])
	f.Add(text + "trailing")
	f.Add(`{"schema_version": 1, "users": null, "devices": [], "users": [{"name": "b"}]}`)
	f.Add(`[1, 2]`)
	f.Add(``)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text string) {
		path := filepath.Join(dir, "report.json")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		got, users, devices, gotErr := previousReport(path)
		want, wantErr := LoadReport(path)
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("error %v, LoadReport's %v", gotErr, wantErr)
		}
		if gotErr != nil {
			return
		}
		if !slices.Equal(users.plain(), plainViews(want.Users)) || !slices.Equal(devices.plain(), plainViews(want.Devices)) {
			t.Fatalf("accounts differ:\n got %+v %+v\nwant %+v %+v", users.plain(), devices.plain(), plainViews(want.Users), plainViews(want.Devices))
		}
		want.Users, want.Devices = got.Users, got.Devices
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(want)
		if !bytes.Equal(a, b) {
			t.Fatalf("reports differ:\n got %s\nwant %s", a, b)
		}
	})
}
