package main

// Offline audits proven against the live scan: the Samba DC is exported with
// ldapsearch as README tells an auditor to, and `calscan scan` of the export
// must give the same report.json numbers as a live scan of the DC.

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// exportAttributes are the attributes calscan reads (scanner/decode.go),
// plus objectClass and objectCategory, which tell the kinds apart in an export.
var exportAttributes = []string{
	"objectClass", "objectCategory", "objectSid", "sAMAccountName", "userPrincipalName", "displayName",
	"distinguishedName", "userAccountControl", "primaryGroupID", "lastLogonTimestamp", "accountExpires",
	"whenCreated", "memberOf", "dNSHostName", "operatingSystem", "operatingSystemVersion",
	"msTSLicenseVersion", "msTSExpireDate", "msTSManagingLS",
}

const exportFilter = "(|(objectCategory=person)(objectCategory=computer)(objectCategory=group))"

// ldifPolicy exercises every kind of exclusion the population has.
const ldifPolicy = `[scope]
stale_after_days = 90
exclude_accounts = ["svc-*"]
exclude_ous = ["OU=Lab,%s"]
admin_exempt = ["adm-ops"]

[licensing]
model = "user"

[[cal]]
type = "user"
version = "2022"
quantity = 30
`

// exportDC runs ldapsearch against the DC into dir/name, as a plain user.
func exportDC(t *testing.T, e sambaEnv, user, dir, name string, wrap bool) string {
	t.Helper()
	ldapsearch, err := exec.LookPath("ldapsearch")
	if err != nil {
		t.Fatalf("ldapsearch (Debian ldap-utils) is needed to export the DC: %v", err)
	}
	pwFile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwFile, []byte(e.userPass), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-LLL", "-E", "pr=1000/noprompt"}
	if !wrap {
		args = append(args, "-o", "ldif-wrap=no")
	}
	args = append(args, "-H", e.ldapsURL, "-x", "-D", user, "-y", pwFile, "-b", e.baseDN, exportFilter)
	cmd := exec.CommandContext(t.Context(), ldapsearch, append(args, exportAttributes...)...)
	cmd.Env = append(os.Environ(), "LDAPTLS_CACERT="+e.caFile)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ldapsearch: %v\n%s", err, stderr.String())
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLDIFExportMatchesLiveScan(t *testing.T) {
	e := sambaFromEnv(t)
	user := os.Getenv("AD_USER_UPN")
	if user == "" {
		t.Fatal("AD_USER_UPN is not set: source the env.sh written by scripts/samba-dc.sh")
	}
	policy := strings.Replace(ldifPolicy, "%s", e.baseDN, 1)
	live := company{name: "corp", url: e.ldapsURL, baseDN: e.baseDN, bindDN: user, password: e.userPass, caFile: e.caFile}
	code, stderr, out := scanConfig(t, t.TempDir(), live.block(t)+policy)
	if code != exitOK {
		t.Fatalf("live scan: exit %d\n%s", code, stderr)
	}
	want := readDomainsReport(t, out)
	if want.Counts.UsersSeen == 0 || want.Counts.DevicesSeen == 0 {
		t.Fatalf("the live scan found nothing: %+v", want.Counts)
	}

	for _, tt := range []struct {
		name string
		wrap bool
	}{{name: "unwrapped lines", wrap: false}, {name: "ldapsearch's default wrapping", wrap: true}} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			exportDC(t, e, user, dir, "export.ldif", tt.wrap)
			code, stderr, out := scanConfig(t, dir, "[[directory]]\nname = \"corp\"\nldif = \"export.ldif\"\n\n"+policy)
			if code != exitOK {
				t.Fatalf("offline scan: exit %d\n%s", code, stderr)
			}
			got := readDomainsReport(t, out)
			if !reflect.DeepEqual(got.Counts, want.Counts) {
				t.Errorf("counts from the export:\n%+v\nfrom the live scan:\n%+v", got.Counts, want.Counts)
			}
			if !reflect.DeepEqual(got.CALs, want.CALs) {
				t.Errorf("cals from the export:\n%+v\nfrom the live scan:\n%+v", got.CALs, want.CALs)
			}
			if len(got.Directories) != 1 || len(want.Directories) != 1 {
				t.Fatalf("directories: export %+v, live %+v", got.Directories, want.Directories)
			}
			if g, w := got.Directories[0], want.Directories[0]; g != w {
				t.Errorf("directory counts from the export %+v, from the live scan %+v", g, w)
			}
		})
	}
}

// A damaged export fails the scan with exit 3 and the line to look at.
func TestMalformedLDIFExportNamesTheLine(t *testing.T) {
	e := sambaFromEnv(t)
	user := os.Getenv("AD_USER_UPN")
	if user == "" {
		t.Fatal("AD_USER_UPN is not set: source the env.sh written by scripts/samba-dc.sh")
	}
	dir := t.TempDir()
	export := exportDC(t, e, user, dir, "export.ldif", false)
	data, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	const bad = 4 // inside the first entry
	damaged := append(append(append([]string{}, lines[:bad-1]...), "this line is not LDIF"), lines[bad-1:]...)
	if err := os.WriteFile(export, []byte(strings.Join(damaged, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stderr, out := scanConfig(t, dir, "[[directory]]\nname = \"corp\"\nldif = \"export.ldif\"\n")
	if code != exitDirectory {
		t.Fatalf("exit %d, want %d\n%s", code, exitDirectory, stderr)
	}
	for _, want := range []string{"export.ldif", "line 4", "this line is not LDIF"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "report.json")); !os.IsNotExist(err) {
		t.Errorf("a failed scan wrote report.json (stat: %v)", err)
	}
}
