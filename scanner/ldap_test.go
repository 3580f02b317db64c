package scanner_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
	"github.com/rs/zerolog"

	"github.com/calscan/calscan/scanner"
	"github.com/calscan/calscan/scanner/adsim"
)

const (
	testBindDN   = "CN=svc-calscan,CN=Users,DC=corp,DC=example,DC=test"
	testPassword = "Corr3ct-Horse-Battery"
)

// syncBuffer collects log output written from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// attr reads an adsim entry's attribute case-insensitively.
func attr(e *adsim.Entry, name string) []string {
	for k, v := range e.Attrs {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// kindOfEntry classifies a directory entry the way the default filters do.
func kindOfEntry(e *adsim.Entry) scanner.Kind {
	has := func(class string) bool {
		for _, c := range attr(e, "objectClass") {
			if strings.EqualFold(c, class) {
				return true
			}
		}
		return false
	}
	switch {
	case has("computer"):
		return scanner.KindComputer
	case has("user"):
		return scanner.KindUser
	case has("group"):
		return scanner.KindGroup
	}
	return 0
}

func countKinds(d *adsim.Directory) map[scanner.Kind]int {
	counts := map[scanner.Kind]int{}
	for _, e := range d.Entries {
		if k := kindOfEntry(e); k != 0 {
			counts[k]++
		}
	}
	return counts
}

type testServer struct {
	dir    *adsim.Directory
	url    string
	caFile string // the CA that signed the server certificate, when TLS is on
}

type serverMode int

const (
	plainLDAP serverMode = iota
	startTLS
	ldaps
)

func (m serverMode) String() string { return [...]string{"ldap", "starttls", "ldaps"}[m] }

// startServer runs an adsim directory; edit may change its options.
func startServer(t *testing.T, dir *adsim.Directory, mode serverMode, edit func(*adsim.Options)) testServer {
	t.Helper()
	o := adsim.Options{Directory: dir, BindDN: testBindDN, UPN: "svc-calscan@corp.example.test", Password: testPassword}
	ts := testServer{dir: dir}
	if mode != plainLDAP {
		conf, caPEM, err := adsim.TestTLS()
		if err != nil {
			t.Fatalf("TestTLS: %v", err)
		}
		o.TLSConfig = conf
		o.LDAPS = mode == ldaps
		ts.caFile = writeFile(t, "ca.pem", caPEM)
	}
	if edit != nil {
		edit(&o)
	}
	srv, err := adsim.Start(o)
	if err != nil {
		t.Fatalf("adsim.Start: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	ts.url = srv.URL()
	return ts
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func (ts testServer) options(mode serverMode) scanner.LDAPOptions {
	return scanner.LDAPOptions{
		Name: "corp", URL: ts.url, BaseDN: ts.dir.BaseDN,
		Bind: scanner.BindSimple, BindDN: testBindDN, Password: testPassword,
		StartTLS: mode == startTLS, CAFile: ts.caFile, Timeout: 10 * time.Second,
	}
}

// scanned is what a scan emitted, copied out of the reused Object.
type scanned struct {
	counts map[scanner.Kind]int
	byDN   map[string]scanner.Object
	dupes  []string
}

func scan(ctx context.Context, t *testing.T, opts scanner.LDAPOptions, log zerolog.Logger) (scanned, error) {
	t.Helper()
	got := scanned{counts: map[scanner.Kind]int{}, byDN: map[string]scanner.Object{}}
	err := scanner.NewLDAP(opts, log).Scan(ctx, func(o *scanner.Object) error {
		got.counts[o.Kind]++
		if _, seen := got.byDN[o.DN]; seen {
			got.dupes = append(got.dupes, o.DN)
		}
		got.byDN[o.DN] = *o
		return nil
	})
	return got, err
}

func TestScanReturnsTheWholeDirectory(t *testing.T) {
	t.Parallel()
	dir := adsim.Company(adsim.CompanyOptions{Users: 120, Computers: 45, Seed: 7})
	want := countKinds(dir)
	if want[scanner.KindUser] < 120 || want[scanner.KindComputer] < 45 || want[scanner.KindGroup] == 0 {
		t.Fatalf("generated company has %v, want at least 120 users, 45 computers and some groups", want)
	}
	for _, mode := range []serverMode{plainLDAP, startTLS, ldaps} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, dir, mode, nil)
			got, err := scan(context.Background(), t, ts.options(mode), zerolog.New(zerolog.NewTestWriter(t)))
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			for _, k := range []scanner.Kind{scanner.KindUser, scanner.KindComputer, scanner.KindGroup} {
				if got.counts[k] != want[k] {
					t.Errorf("%v: scanned %d, directory holds %d", k, got.counts[k], want[k])
				}
			}
			if len(got.dupes) > 0 {
				t.Errorf("emitted more than once: %v", got.dupes)
			}
			checkDecoded(t, dir, got)
		})
	}
}

// checkDecoded compares what was emitted with the directory's own values.
func checkDecoded(t *testing.T, dir *adsim.Directory, got scanned) {
	t.Helper()
	for _, e := range dir.Entries {
		kind := kindOfEntry(e)
		if kind == 0 {
			continue
		}
		o, ok := got.byDN[e.DN]
		if !ok {
			t.Errorf("%s not emitted", e.DN)
			continue
		}
		if o.Kind != kind || o.Domain != "corp" {
			t.Errorf("%s: kind %v domain %q, want %v corp", e.DN, o.Kind, o.Domain, kind)
		}
		if v := attr(e, "sAMAccountName"); len(v) > 0 && o.SAMAccountName != v[0] {
			t.Errorf("%s: sAMAccountName %q, want %q", e.DN, o.SAMAccountName, v[0])
		}
		if v := attr(e, "objectSid"); len(v) > 0 {
			want, err := scanner.DecodeSID([]byte(v[0]))
			if err != nil || o.SID != want {
				t.Errorf("%s: SID %q, want %q (%v)", e.DN, o.SID, want, err)
			}
		}
		if v := attr(e, "operatingSystem"); kind == scanner.KindComputer && len(v) > 0 && o.OperatingSystem != v[0] {
			t.Errorf("%s: operatingSystem %q, want %q", e.DN, o.OperatingSystem, v[0])
		}
		if n := len(attr(e, "memberOf")); len(o.MemberOf) != n {
			t.Errorf("%s: %d memberOf values, want %d", e.DN, len(o.MemberOf), n)
		}
	}
}

func TestScanPagesEveryEntryOnce(t *testing.T) {
	t.Parallel()
	dir := adsim.Company(adsim.CompanyOptions{Users: 100, Computers: 30, Seed: 3})
	want := countKinds(dir)
	tests := []struct {
		name         string
		pageSize     int
		serverMax    int
		unpagedLimit int
	}{
		{name: "page size 7", pageSize: 7},
		{name: "server caps pages at 9", pageSize: 1000, serverMax: 9},
		{name: "page size 1", pageSize: 1, unpagedLimit: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, dir, plainLDAP, func(o *adsim.Options) {
				o.MaxPageSize = tt.serverMax
				o.UnpagedLimit = tt.unpagedLimit
			})
			logs := &syncBuffer{}
			opts := ts.options(plainLDAP)
			opts.PageSize = tt.pageSize
			got, err := scan(context.Background(), t, opts, zerolog.New(logs).Level(zerolog.DebugLevel))
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			if len(got.dupes) > 0 {
				t.Errorf("emitted more than once: %v", got.dupes)
			}
			for k, n := range want {
				if got.counts[k] != n {
					t.Errorf("%v: scanned %d, directory holds %d", k, got.counts[k], n)
				}
			}
			pageSize := tt.pageSize
			if tt.serverMax > 0 && tt.serverMax < pageSize {
				pageSize = tt.serverMax
			}
			wantPages := (want[scanner.KindUser] + pageSize - 1) / pageSize
			if pages := strings.Count(logs.String(), `"search":"users","page":`); pages < wantPages {
				t.Errorf("users came in %d pages, want at least %d", pages, wantPages)
			}
		})
	}
}

// A server that stops unpaged searches at 1,000 entries (as Windows AD does)
// still gives every user: the scan really pages.
func TestScanPastTheUnpagedLimit(t *testing.T) {
	t.Parallel()
	dir := adsim.Company(adsim.CompanyOptions{Users: 1100, Computers: 20, Seed: 11})
	want := countKinds(dir)
	if want[scanner.KindUser] <= 1000 {
		t.Fatalf("company has %d users, want more than 1000", want[scanner.KindUser])
	}
	ts := startServer(t, dir, plainLDAP, func(o *adsim.Options) { o.UnpagedLimit = 1000 })
	got, err := scan(context.Background(), t, ts.options(plainLDAP), zerolog.New(zerolog.NewTestWriter(t)))
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if got.counts[scanner.KindUser] != want[scanner.KindUser] || len(got.dupes) > 0 {
		t.Fatalf("scanned %d users (%d duplicates), directory holds %d",
			got.counts[scanner.KindUser], len(got.dupes), want[scanner.KindUser])
	}
}

func TestScanBindFailures(t *testing.T) {
	t.Parallel()
	dir := adsim.Company(adsim.CompanyOptions{Users: 5, Computers: 2, Seed: 1})
	tests := []struct {
		name       string
		accountErr string // AD data code the server answers for the bind DN
		password   string
		bind       string
		want       []string
	}{
		{name: "wrong password", password: "Wr0ng-Horse", want: []string{"52e", "wrong password"}},
		{name: "locked out", accountErr: "775", want: []string{"775", "account locked out"}},
		{name: "password expired", accountErr: "532", want: []string{"532", "password expired"}},
		{name: "disabled", accountErr: "533", want: []string{"533", "account disabled"}},
		{name: "account expired", accountErr: "701", want: []string{"701", "account expired"}},
		{name: "must reset password", accountErr: "773", want: []string{"773", "user must reset password"}},
		{name: "empty password is not sent", password: "", want: []string{"empty password"}},
		{name: "ntlm with a DN", bind: scanner.BindNTLM, want: []string{"not a Windows account name", `DOMAIN\user`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, dir, plainLDAP, func(o *adsim.Options) {
				o.AllowAnonymous = true // an empty-password bind would pass as anonymous
				if tt.accountErr != "" {
					o.AccountErrors = map[string]string{testBindDN: tt.accountErr}
				}
			})
			opts := ts.options(plainLDAP)
			if tt.accountErr == "" {
				opts.Password = tt.password
			}
			if tt.bind != "" {
				opts.Bind = tt.bind
			}
			logs := &syncBuffer{}
			got, err := scan(context.Background(), t, opts, zerolog.New(logs).Level(zerolog.DebugLevel))
			if err == nil {
				t.Fatalf("Scan succeeded with %v objects, want a bind error", got.counts)
			}
			t.Logf("error: %v", err)
			var de *scanner.DirectoryError
			if !errors.As(err, &de) || de.Op != "bind" || de.Directory != "corp" {
				t.Fatalf("error %v (%T), want a DirectoryError for corp with Op bind", err, err)
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
			for _, secret := range []string{testPassword, "Wr0ng-Horse"} {
				if strings.Contains(err.Error(), secret) || strings.Contains(logs.String(), secret) {
					t.Errorf("the password %q leaked into the error or the logs", secret)
				}
			}
			if len(got.counts) != 0 {
				t.Errorf("objects emitted despite the bind failure: %v", got.counts)
			}
		})
	}
}

func TestScanConnectionChoices(t *testing.T) {
	t.Parallel()
	dir := adsim.Company(adsim.CompanyOptions{Users: 10, Computers: 3, Seed: 2})
	want := countKinds(dir)
	tests := []struct {
		name string
		edit func(*scanner.LDAPOptions)
	}{
		{name: "anonymous bind", edit: func(o *scanner.LDAPOptions) {
			o.Bind, o.BindDN, o.Password = scanner.BindAnonymous, "", ""
		}},
		{name: "UPN bind name", edit: func(o *scanner.LDAPOptions) { o.BindDN = "svc-calscan@corp.example.test" }},
		{name: "base DN from the RootDSE", edit: func(o *scanner.LDAPOptions) { o.BaseDN = "" }},
		{name: "defaults for zero options", edit: func(o *scanner.LDAPOptions) { o.Bind, o.PageSize, o.Timeout = "", 0, 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, dir, plainLDAP, func(o *adsim.Options) { o.AllowAnonymous = true })
			opts := ts.options(plainLDAP)
			tt.edit(&opts)
			got, err := scan(context.Background(), t, opts, zerolog.New(zerolog.NewTestWriter(t)))
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			for k, n := range want {
				if got.counts[k] != n {
					t.Errorf("%v: scanned %d, directory holds %d", k, got.counts[k], n)
				}
			}
		})
	}
}

func TestScanTLSFailures(t *testing.T) {
	t.Parallel()
	dir := adsim.Company(adsim.CompanyOptions{Users: 5, Computers: 2, Seed: 1})
	_, otherCA, err := adsim.TestTLS()
	if err != nil {
		t.Fatal(err)
	}
	otherCAFile := writeFile(t, "other-ca.pem", otherCA)
	notPEM := writeFile(t, "not.pem", []byte("not a certificate\n"))

	tests := []struct {
		name    string
		mode    serverMode
		edit    func(*scanner.LDAPOptions)
		wantOp  string
		want    []string
		succeed bool
	}{
		{name: "ldaps with another CA", mode: ldaps, edit: func(o *scanner.LDAPOptions) { o.CAFile = otherCAFile },
			wantOp: "tls", want: []string{"not trusted by ca_file", otherCAFile}},
		{name: "starttls with another CA", mode: startTLS, edit: func(o *scanner.LDAPOptions) { o.CAFile = otherCAFile },
			wantOp: "tls", want: []string{"not trusted by ca_file"}},
		{name: "ldaps with the system roots", mode: ldaps, edit: func(o *scanner.LDAPOptions) { o.CAFile = "" },
			wantOp: "tls", want: []string{"not trusted by the system roots"}},
		{name: "name mismatch", mode: startTLS, edit: func(o *scanner.LDAPOptions) { o.ServerName = "dc1.elsewhere.test" },
			wantOp: "tls", want: []string{"name mismatch", "127.0.0.1", "localhost", "dc1.elsewhere.test"}},
		{name: "unreadable ca_file", mode: ldaps, edit: func(o *scanner.LDAPOptions) { o.CAFile = filepath.Join(t.TempDir(), "missing.pem") },
			wantOp: "tls", want: []string{"missing.pem"}},
		{name: "ca_file without certificates", mode: ldaps, edit: func(o *scanner.LDAPOptions) { o.CAFile = notPEM },
			wantOp: "tls", want: []string{"not.pem", "no PEM certificates"}},
		{name: "ldaps to a plain LDAP port", mode: plainLDAP,
			edit:   func(o *scanner.LDAPOptions) { o.URL = strings.Replace(o.URL, "ldap://", "ldaps://", 1) },
			wantOp: "tls", want: []string{"is it an LDAPS port"}},
		{name: "starttls not offered", mode: plainLDAP, edit: func(o *scanner.LDAPOptions) { o.StartTLS = true },
			wantOp: "tls", want: []string{"server refused StartTLS"}},
		{name: "start_tls with ldaps", mode: ldaps, edit: func(o *scanner.LDAPOptions) { o.StartTLS = true },
			wantOp: "connect", want: []string{"start_tls cannot be used with ldaps://"}},
		{name: "insecure_skip_verify accepts another CA", mode: ldaps,
			edit: func(o *scanner.LDAPOptions) { o.CAFile, o.InsecureSkipVerify = otherCAFile, true }, succeed: true},
		{name: "server name by DNS name", mode: ldaps, edit: func(o *scanner.LDAPOptions) { o.ServerName = "localhost" }, succeed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, dir, tt.mode, nil)
			opts := ts.options(tt.mode)
			tt.edit(&opts)
			_, err := scan(context.Background(), t, opts, zerolog.New(zerolog.NewTestWriter(t)))
			if tt.succeed {
				if err != nil {
					t.Fatalf("Scan: %v", err)
				}
				return
			}
			t.Logf("error: %v", err)
			var de *scanner.DirectoryError
			if !errors.As(err, &de) || de.Op != tt.wantOp {
				t.Fatalf("error %v, want a DirectoryError with Op %q", err, tt.wantOp)
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
		})
	}
}

// certAt makes a CA and a certificate for 127.0.0.1 valid from notBefore to notAfter.
func certAt(t *testing.T, notBefore, notAfter time.Time) (*tls.Config, []byte) {
	t.Helper()
	conf, caPEM, err := adsim.TestTLSFor([]string{"dc1.corp.example.test", "127.0.0.1"}, notBefore, notAfter)
	if err != nil {
		t.Fatal(err)
	}
	return conf, caPEM
}

func TestScanCertificateDates(t *testing.T) {
	t.Parallel()
	dir := adsim.Company(adsim.CompanyOptions{Users: 5, Computers: 2, Seed: 1})
	now := time.Now()
	tests := []struct {
		name                string
		notBefore, notAfter time.Time
		want                string
	}{
		{name: "expired", notBefore: now.Add(-96 * time.Hour), notAfter: now.Add(-48 * time.Hour), want: "expired on"},
		{name: "not yet valid", notBefore: now.Add(48 * time.Hour), notAfter: now.Add(96 * time.Hour), want: "not valid before"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			conf, caPEM := certAt(t, tt.notBefore, tt.notAfter)
			ts := startServer(t, dir, plainLDAP, func(o *adsim.Options) { o.TLSConfig, o.LDAPS = conf, true })
			opts := ts.options(ldaps)
			opts.CAFile = writeFile(t, "ca.pem", caPEM)
			_, err := scan(context.Background(), t, opts, zerolog.New(zerolog.NewTestWriter(t)))
			t.Logf("error: %v", err)
			var de *scanner.DirectoryError
			if !errors.As(err, &de) || de.Op != "tls" {
				t.Fatalf("error %v, want a DirectoryError with Op tls", err)
			}
			for _, s := range []string{tt.want, tt.notBefore.UTC().Format(time.RFC3339), tt.notAfter.UTC().Format(time.RFC3339)} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
		})
	}
}

func TestScanUnreachable(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there now

	tests := []struct {
		name   string
		url    string
		wantOp string
	}{
		{name: "closed port", url: "ldap://" + addr, wantOp: "connect"},
		{name: "closed ldaps port", url: "ldaps://" + addr, wantOp: "connect"},
		{name: "bad scheme", url: "http://" + addr, wantOp: "connect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := scanner.LDAPOptions{Name: "corp", URL: tt.url, BaseDN: "DC=corp,DC=example,DC=test",
				Bind: scanner.BindSimple, BindDN: testBindDN, Password: testPassword, Timeout: 5 * time.Second}
			_, err := scan(context.Background(), t, opts, zerolog.New(zerolog.NewTestWriter(t)))
			t.Logf("error: %v", err)
			var de *scanner.DirectoryError
			if !errors.As(err, &de) || de.Op != tt.wantOp || de.Directory != "corp" {
				t.Fatalf("error %v, want a DirectoryError for corp with Op %q", err, tt.wantOp)
			}
		})
	}
}

func TestScanStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	dir := adsim.Company(adsim.CompanyOptions{Users: 300, Computers: 20, Seed: 5})
	ts := startServer(t, dir, plainLDAP, nil)
	opts := ts.options(plainLDAP)
	opts.PageSize = 10

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	users := 0
	err := scanner.NewLDAP(opts, zerolog.New(zerolog.NewTestWriter(t))).Scan(ctx, func(o *scanner.Object) error {
		if o.Kind == scanner.KindUser {
			if users++; users == 25 {
				cancel()
			}
		}
		return nil
	})
	t.Logf("error: %v", err)
	if err == nil {
		t.Fatalf("Scan returned no error after cancellation (%d users read)", users)
	}
	if !errors.Is(err, context.Canceled) || !scanner.IsDirectoryError(err) {
		t.Fatalf("error %v, want a DirectoryError wrapping context.Canceled", err)
	}
}

func TestScanReturnsEmitErrors(t *testing.T) {
	t.Parallel()
	dir := adsim.Company(adsim.CompanyOptions{Users: 50, Computers: 10, Seed: 5})
	ts := startServer(t, dir, plainLDAP, nil)
	opts := ts.options(plainLDAP)
	opts.PageSize = 5
	errFull := errors.New("report store full")
	calls := 0
	err := scanner.NewLDAP(opts, zerolog.New(zerolog.NewTestWriter(t))).Scan(context.Background(), func(*scanner.Object) error {
		calls++
		if calls == 12 {
			return errFull
		}
		return nil
	})
	if !errors.Is(err, errFull) {
		t.Fatalf("error %v, want it to wrap the emit error", err)
	}
	if scanner.IsDirectoryError(err) {
		t.Fatalf("emit's own error %v was reported as a directory error", err)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	dir := adsim.Company(adsim.CompanyOptions{Users: 5, Computers: 2, Seed: 1})
	tests := []struct {
		name       string
		mode       serverMode
		baseDN     string
		wantBase   string
		wantExists bool
	}{
		{name: "configured base", mode: ldaps, baseDN: dir.BaseDN, wantBase: dir.BaseDN, wantExists: true},
		{name: "default naming context", mode: plainLDAP, baseDN: "", wantBase: dir.BaseDN, wantExists: true},
		{name: "missing base", mode: startTLS, baseDN: "OU=Nowhere," + dir.BaseDN, wantBase: "OU=Nowhere," + dir.BaseDN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, dir, tt.mode, nil)
			opts := ts.options(tt.mode)
			opts.BaseDN = tt.baseDN
			info, err := scanner.NewLDAP(opts, zerolog.New(zerolog.NewTestWriter(t))).Check(context.Background())
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if info.DefaultNamingContext != dir.BaseDN || !info.PagingSupported || info.URL != ts.url || info.BindDN != testBindDN {
				t.Errorf("Check() = %+v, want defaultNamingContext %q, paging, URL %s, bind DN %s", info, dir.BaseDN, ts.url, testBindDN)
			}
			if !strings.EqualFold(info.BaseDN, tt.wantBase) || info.BaseDNExists != tt.wantExists {
				t.Errorf("Check() base %q exists %v, want %q exists %v", info.BaseDN, info.BaseDNExists, tt.wantBase, tt.wantExists)
			}
		})
	}
}

func TestCheckBindFailure(t *testing.T) {
	t.Parallel()
	ts := startServer(t, adsim.Company(adsim.CompanyOptions{Users: 2, Computers: 1, Seed: 1}), plainLDAP, nil)
	opts := ts.options(plainLDAP)
	opts.Password = "Wr0ng-Horse"
	_, err := scanner.NewLDAP(opts, zerolog.New(zerolog.NewTestWriter(t))).Check(context.Background())
	var de *scanner.DirectoryError
	if !errors.As(err, &de) || de.Op != "bind" || !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
		t.Fatalf("Check error %v, want a bind DirectoryError wrapping LDAP result 49", err)
	}
	if !strings.Contains(err.Error(), "52e") {
		t.Errorf("error %q does not name AD's 52e", err)
	}
}
