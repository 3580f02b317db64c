//go:build !windows

package scanner

import (
	"runtime"
	"testing"
)

func TestSSPIIsRefusedOffWindows(t *testing.T) {
	t.Parallel()
	problems := PrepareBind(&LDAPOptions{URL: "ldaps://dc1.corp.example.com", Bind: BindSSPI}, func(string) (string, bool) { return "", false })
	if len(problems) != 1 || problems[0].Key != "bind" {
		t.Fatalf("PrepareBind(sspi) = %v, want one problem with key bind", problems)
	}
	want := `bind = "sspi" works only on Windows; on ` + osName() + " use kerberos with a keytab or ccache"
	if runtime.GOOS == "linux" {
		want = `bind = "sspi" works only on Windows; on Linux use kerberos with a keytab or ccache`
	}
	if problems[0].Msg != want {
		t.Errorf("problem %q, want %q", problems[0].Msg, want)
	}
	if err := bindSSPI(nil, &LDAPOptions{Bind: BindSSPI}); err == nil || err.Error() != want {
		t.Errorf("bindSSPI = %v, want %q", err, want)
	}
}
