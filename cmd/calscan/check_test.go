package main

import (
	"os"
	"strings"
	"testing"
)

func TestCheckConnectsAndSaysWhatItWouldScan(t *testing.T) {
	cfg := companyConfig(t, "")
	code, stdout, stderr := runCmd(t, "check", "--config", cfg, "--log-format", "json")
	if code != exitOK {
		t.Fatalf("check: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"is valid", `Directory "corp"`, "bound as:  svc-calscan@corp.example.test (simple bind)",
		"paging supported: true", "would scan under DC=corp,DC=example,DC=test", "(&(objectCategory=person)(objectClass=user))",
		"model user, 1 owned CAL purchase(s)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("check output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestCheckWrongPasswordExit3(t *testing.T) {
	cfg := companyConfig(t, "")
	t.Setenv("CALSCAN_TEST_BIND_PW", "not-the-password")
	code, _, stderr := runCmd(t, "check", "--config", cfg, "--log-format", "json")
	if code != exitDirectory {
		t.Fatalf("check with a wrong password: exit %d, want 3\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "52e") || strings.Contains(stderr, "not-the-password") {
		t.Errorf("want AD's reason (52e) and never the password:\n%s", stderr)
	}
}

func TestCheckMissingBaseDN(t *testing.T) {
	cfg := companyConfig(t, "")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), `base_dn = "DC=corp,DC=example,DC=test"`, `base_dn = "DC=nowhere,DC=example,DC=test"`, 1)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd(t, "check", "--config", cfg, "--log-format", "json")
	if code != exitDirectory || !strings.Contains(stderr, "DC=nowhere") {
		t.Fatalf("check with a wrong base_dn: exit %d, want 3 naming it\n%s", code, stderr)
	}
}
