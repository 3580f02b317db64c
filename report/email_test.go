package report

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/calscan/calscan/rules"
)

// The SMTP tests run against real mailpit servers started by scripts/mailpit.sh:
//
//	scripts/mailpit.sh start && eval "$(scripts/mailpit.sh env)"
//	go test -race ./report/ -run Mail
//
// Without MAILPIT_API they are skipped, unless CALSCAN_MAILPIT=1 says they must run.
// Tests that need no mailpit (a closed port, scripted SMTP replies) always run.

const (
	mailTestPassword = "s3cret-mail-password"
	mailTestMoney    = "Buy 68 Windows Server 2022 User CALs."
	mailHostileName  = `<script>alert("fs01")</script>`
	mailHostileUser  = `Mallory <img src=x onerror=alert(1)>`
)

// mailTestReport is a non-compliant report whose directory strings try to
// inject markup.
func mailTestReport() *Report {
	many := make([]string, 15)
	for i := range many {
		many[i] = fmt.Sprintf("PC%02d", i+1)
	}
	return New(&rules.Result{
		Compliant: false,
		Model:     rules.ModelUser,
		Counts:    rules.Counts{UsersSeen: 2000, UsersCounted: 1840, DevicesSeen: 320, DevicesCounted: 310, ServersSeen: 3},
		CALs: []rules.CALLine{
			{Type: rules.CALUser, Required: 1840, MinVersion: "2022", Owned: 1772, Shortfall: 68,
				ByVersion: []rules.VersionLine{{Version: "2019", Required: 40, Owned: 1772}, {Version: "2022", Required: 1800}}},
			{Type: rules.CALDevice, Owned: 10, Surplus: 10, ByVersion: []rules.VersionLine{{Version: "2019", Owned: 10}}},
		},
		Servers: []rules.Server{{Name: mailHostileName, Edition: rules.EditionStandard, Version: "2022", NeedsCALs: true, Source: "directory"}},
		Findings: []rules.Finding{
			{Code: "UNKNOWN_OPERATING_SYSTEM", Severity: rules.SeverityWarning, Message: "Server " + mailHostileName + " reports an unknown operating system.",
				Action: "Add a [[server]] block for it.", Subjects: []string{mailHostileName}},
			{Code: "CAL_SHORTFALL", Severity: rules.SeverityViolation, Rule: "R1", Message: "68 users have no User CAL.",
				Action: mailTestMoney, Subjects: append([]string{mailHostileUser}, many...)},
			{Code: "RECLAIMABLE_ACCOUNTS", Severity: rules.SeverityInfo, Message: "160 accounts are reclaimable.", Subjects: []string{"old.user"}},
		},
		Directories: []rules.DirectoryCounts{{Name: "corp"}, {Name: "lab"}},
	}, time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), "0.1.0")
}

// mailTestFiles writes attachments with bytes that a careless encoder would
// change: a BOM, CRLF, non-ASCII, and a long line.
func mailTestFiles(t *testing.T) map[string][]byte {
	t.Helper()
	return map[string][]byte{
		"report.html": []byte("<!DOCTYPE html>\n<title>Müller</title>\n" + strings.Repeat("x", 2000) + "\n"),
		"users.csv":   []byte("\uFEFFdomain,name\r\ncorp,José\r\ncorp,=cmd\r\n"),
		"report.json": []byte(`{"schema_version":1,"compliant":false}` + "\n"),
		"extra.bin":   {0, 1, 2, 0xff, 0xfe, '\r', '\n', '.', '\r', '\n'},
	}
}

var mailTestTypes = map[string]string{
	"report.html": "text/html",
	"users.csv":   "text/csv",
	"report.json": "application/json",
	"extra.bin":   "application/octet-stream",
}

func writeMailTestFiles(t *testing.T, files map[string][]byte) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}

// ---------------------------------------------------------------- mailpit

type mailpitEnv struct {
	smtp, smtps, api, apiTLS, caFile string
}

func requireMailpit(t *testing.T) mailpitEnv {
	t.Helper()
	env := mailpitEnv{
		smtp: os.Getenv("MAILPIT_SMTP"), smtps: os.Getenv("MAILPIT_SMTPS"),
		api: os.Getenv("MAILPIT_API"), apiTLS: os.Getenv("MAILPIT_API_TLS"), caFile: os.Getenv("MAILPIT_CA_FILE"),
	}
	if env.api == "" {
		if os.Getenv("CALSCAN_MAILPIT") == "1" {
			t.Fatal("CALSCAN_MAILPIT=1 but MAILPIT_API is not set: run scripts/mailpit.sh start and load its env")
		}
		t.Skip("no mailpit: run scripts/mailpit.sh start and load its env (MAILPIT_API)")
	}
	if env.smtp == "" || env.smtps == "" || env.apiTLS == "" || env.caFile == "" {
		t.Fatal("MAILPIT_API is set but MAILPIT_SMTP, MAILPIT_SMTPS, MAILPIT_API_TLS or MAILPIT_CA_FILE is not")
	}
	return env
}

type mailpitAddress struct{ Name, Address string }

type mailpitAttachment struct {
	PartID, FileName, ContentType string
	Size                          int
}

type mailpitMessage struct {
	ID          string
	Subject     string
	Username    string // the SMTP AUTH user, "" without AUTH
	From        mailpitAddress
	To          []mailpitAddress
	Text, HTML  string
	Attachments []mailpitAttachment
}

type mailpitClient struct {
	t    *testing.T
	base string
}

func (c mailpitClient) get(path string) []byte {
	c.t.Helper()
	resp, err := http.Get(c.base + path)
	if err != nil {
		c.t.Fatalf("mailpit API: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %s %v %s", path, resp.Status, err, body)
	}
	return body
}

// find returns the IDs of the messages whose subject contains token. Mailpit
// stores a message before it answers the end of DATA, so one look suffices.
func (c mailpitClient) find(token string) []string {
	c.t.Helper()
	var list struct {
		Messages []struct{ ID, Subject string }
	}
	if err := json.Unmarshal(c.get("/api/v1/search?query="+url.QueryEscape(`subject:"`+token+`"`)), &list); err != nil {
		c.t.Fatal(err)
	}
	var ids []string
	for _, m := range list.Messages {
		if strings.Contains(m.Subject, token) {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

func (c mailpitClient) message(id string) mailpitMessage {
	c.t.Helper()
	var m mailpitMessage
	if err := json.Unmarshal(c.get("/api/v1/message/"+id), &m); err != nil {
		c.t.Fatal(err)
	}
	return m
}

// deleteMessages removes only this test's messages: others may share the server.
func (c mailpitClient) deleteMessages(ids []string) {
	if len(ids) == 0 {
		return
	}
	body, _ := json.Marshal(map[string][]string{"IDs": ids})
	req, err := http.NewRequest(http.MethodDelete, c.base+"/api/v1/messages", bytes.NewReader(body))
	if err != nil {
		c.t.Error(err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Errorf("delete messages: %v", err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.t.Errorf("delete messages: %s", resp.Status)
	}
}

func hostPort(t *testing.T, addr string) (string, int) {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if _, err := fmt.Sscan(port, &n); err != nil {
		t.Fatal(err)
	}
	return host, n
}

func uniqueToken(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("t%x", b)
}

func TestSendMailMailpit(t *testing.T) {
	env := requireMailpit(t)
	tests := []struct {
		name     string
		tls      string
		smtp     string
		api      string
		username string
	}{
		{"starttls with auth", MailStartTLS, env.smtp, env.api, "calscan"},
		{"implicit tls with auth", MailImplicitTLS, env.smtps, env.apiTLS, "calscan"},
		{"no tls without auth", MailNoTLS, env.smtp, env.api, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, port := hostPort(t, tt.smtp)
			token := uniqueToken(t)
			files := mailTestFiles(t)
			paths := writeMailTestFiles(t, files)
			m := Mail{
				Host: host, Port: port, TLS: tt.tls, Username: tt.username, Password: mailTestPassword,
				From: "calscan <calscan@example.com>", To: []string{"it@example.com", "cfo@example.com"},
				Subject: "{{.Verdict}}: buy {{.Shortfall}} ({{.Domains}}) " + token,
				CAFile:  env.caFile, Timeout: 10 * time.Second,
			}
			var logs bytes.Buffer
			log := zerolog.New(&logs).Level(zerolog.DebugLevel)
			api := mailpitClient{t: t, base: tt.api}

			if err := SendMail(context.Background(), m, mailTestReport(), paths, log); err != nil {
				t.Fatalf("SendMail: %v", err)
			}
			ids := api.find(token)
			t.Cleanup(func() { api.deleteMessages(ids) })
			if len(ids) != 1 {
				t.Fatalf("found %d messages with subject token %s, want 1", len(ids), token)
			}
			msg := api.message(ids[0])

			if want := "Not compliant: buy 68 (corp, lab) " + token; msg.Subject != want {
				t.Errorf("subject = %q, want %q", msg.Subject, want)
			}
			if msg.Username != tt.username {
				t.Errorf("SMTP AUTH user = %q, want %q", msg.Username, tt.username)
			}
			if msg.From.Address != "calscan@example.com" {
				t.Errorf("from = %+v", msg.From)
			}
			var to []string
			for _, a := range msg.To {
				to = append(to, a.Address)
			}
			if !slices.Equal(to, m.To) {
				t.Errorf("to = %v, want %v", to, m.To)
			}
			checkMailBodies(t, msg.Text, msg.HTML)
			checkMailAttachments(t, api, msg, files)
			checkMailStructure(t, api.get("/api/v1/message/"+msg.ID+"/raw"))
			if strings.Contains(logs.String(), mailTestPassword) {
				t.Errorf("the log holds the SMTP password:\n%s", logs.String())
			}
			if !strings.Contains(logs.String(), "report emailed") {
				t.Errorf("no success line in the log:\n%s", logs.String())
			}
		})
	}
}

func checkMailBodies(t *testing.T, text, html string) {
	t.Helper()
	for _, want := range []string{"Not compliant", mailTestMoney, "CAL_SHORTFALL", "UNKNOWN_OPERATING_SYSTEM",
		"1,840", "1,772", "and 6 more"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML body lacks %q", want)
		}
		if !strings.Contains(text, want) {
			t.Errorf("text body lacks %q", want)
		}
	}
	for _, hostile := range []string{"<script", "<img"} {
		if strings.Contains(html, hostile) {
			t.Errorf("HTML body holds unescaped %q", hostile)
		}
	}
	for _, escaped := range []string{"&lt;script&gt;alert(&#34;fs01&#34;)&lt;/script&gt;", "Mallory &lt;img src=x onerror=alert(1)&gt;"} {
		if !strings.Contains(html, escaped) {
			t.Errorf("HTML body lacks the escaped directory string %q", escaped)
		}
	}
	if !strings.Contains(text, mailHostileName) {
		t.Errorf("text body lacks the server name as written in the directory")
	}
	for _, external := range []string{"src=\"http", "href=\"http", "<link", "<style", "url("} {
		if strings.Contains(html, external) {
			t.Errorf("HTML body refers to %q: it must be self-contained with inline styles", external)
		}
	}
}

func checkMailAttachments(t *testing.T, api mailpitClient, msg mailpitMessage, files map[string][]byte) {
	t.Helper()
	if len(msg.Attachments) != len(files) {
		t.Errorf("%d attachments, want %d: %+v", len(msg.Attachments), len(files), msg.Attachments)
	}
	for _, a := range msg.Attachments {
		want, ok := files[a.FileName]
		if !ok {
			t.Errorf("unexpected attachment %q", a.FileName)
			continue
		}
		if mediaType, _, _ := mime.ParseMediaType(a.ContentType); mediaType != mailTestTypes[a.FileName] {
			t.Errorf("%s: content type %q, want %s", a.FileName, a.ContentType, mailTestTypes[a.FileName])
		}
		if got := api.get("/api/v1/message/" + msg.ID + "/part/" + a.PartID); !bytes.Equal(got, want) {
			t.Errorf("%s: bytes differ:\n got %q\nwant %q", a.FileName, got, want)
		}
	}
}

// checkMailStructure reads the raw message: multipart/mixed holding a
// multipart/alternative of text/plain then text/html, then the files.
func checkMailStructure(t *testing.T, raw []byte) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", got)
	}
	parts := mimeParts(t, msg.Header.Get("Content-Type"), msg.Body)
	if len(parts) == 0 || parts[0].mediaType != "multipart/alternative" {
		t.Fatalf("top-level parts %v: want multipart/alternative first", parts)
	}
	alt := mimeParts(t, parts[0].contentType, bytes.NewReader(parts[0].body))
	var types []string
	for _, p := range alt {
		types = append(types, p.mediaType)
	}
	if !slices.Equal(types, []string{"text/plain", "text/html"}) {
		t.Errorf("alternatives = %v, want [text/plain text/html]", types)
	}
}

type mimePart struct {
	mediaType, contentType string
	body                   []byte
}

func (p mimePart) String() string { return p.mediaType }

func mimeParts(t *testing.T, contentType string, body io.Reader) []mimePart {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		t.Fatalf("content type %q is not multipart: %v", contentType, err)
	}
	r := multipart.NewReader(body, params["boundary"])
	var parts []mimePart
	for {
		p, err := r.NextRawPart()
		if errors.Is(err, io.EOF) {
			return parts
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		ct := p.Header.Get("Content-Type")
		mt, _, _ := mime.ParseMediaType(ct)
		parts = append(parts, mimePart{mediaType: mt, contentType: ct, body: b})
	}
}

func TestSendMailTLSFailuresMailpit(t *testing.T) {
	env := requireMailpit(t)
	otherCA := writeOtherCA(t)
	tests := []struct {
		name   string
		addr   string
		tls    string
		caFile string
		want   string
	}{
		{"implicit tls, CA does not match", env.smtps, MailImplicitTLS, otherCA, "TLS certificate not trusted"},
		{"starttls, CA does not match", env.smtp, MailStartTLS, otherCA, "TLS certificate not trusted"},
		{"implicit tls, system roots", env.smtps, MailImplicitTLS, "", "TLS certificate not trusted"},
		{"implicit tls against a plain port", env.smtp, MailImplicitTLS, env.caFile, "did not answer in TLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, port := hostPort(t, tt.addr)
			m := Mail{Host: host, Port: port, TLS: tt.tls, CAFile: tt.caFile, Username: "calscan", Password: mailTestPassword,
				From: "calscan@example.com", To: []string{"it@example.com"}, Subject: "must not arrive " + uniqueToken(t),
				Timeout: 10 * time.Second}
			err := SendMail(context.Background(), m, mailTestReport(), nil, zerolog.New(zerolog.NewTestWriter(t)))
			checkMailError(t, err, tt.addr, tt.want)
		})
	}
}

// writeOtherCA writes a CA certificate that signed nothing mailpit presents.
func writeOtherCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "some other CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "other-ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func checkMailError(t *testing.T, err error, server, want string) {
	t.Helper()
	var me *MailError
	if !errors.As(err, &me) {
		t.Fatalf("error %v (%T) is not a *MailError", err, err)
	}
	if me.Server != server {
		t.Errorf("Server = %q, want %q", me.Server, server)
	}
	msg := err.Error()
	if !strings.Contains(msg, server) || !strings.Contains(msg, want) {
		t.Errorf("error %q: want it to name %s and say %q", msg, server, want)
	}
	if strings.Contains(msg, mailTestPassword) {
		t.Errorf("error %q holds the password", msg)
	}
}

// ---------------------------------------------------------------- scripted SMTP

// scriptedSMTP is a minimal SMTP server on 127.0.0.1 whose replies a test
// chooses: for failures a real server cannot be made to produce on demand.
type scriptedSMTP struct {
	listen     string            // address to listen on; default 127.0.0.1:0
	extensions []string          // EHLO keywords after the greeting line
	replies    map[string]string // verb → reply that replaces the default
	silent     bool              // accept, then say nothing
	accepted   chan struct{}     // receives once a connection is accepted
}

func startScriptedSMTP(t *testing.T, s *scriptedSMTP) string {
	t.Helper()
	listen := s.listen
	if listen == "" {
		listen = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		t.Fatal(err)
	}
	s.accepted = make(chan struct{}, 1)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			select {
			case s.accepted <- struct{}{}:
			default:
			}
			wg.Go(func() { s.serve(conn) })
		}
	})
	return ln.Addr().String()
}

func (s *scriptedSMTP) serve(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	r := bufio.NewReader(conn)
	if s.silent {
		_, _ = io.Copy(io.Discard, r) // until the client gives up
		return
	}
	reply := func(s string) { _, _ = io.WriteString(conn, s+"\r\n") }
	reply("220 scripted ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(line)), " ")
		if custom, ok := s.replies[verb]; ok {
			reply(custom)
			continue
		}
		switch verb {
		case "EHLO":
			lines := append([]string{"scripted"}, s.extensions...)
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				reply("250" + sep + l)
			}
		case "DATA":
			reply("354 go ahead")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
			}
			reply("250 queued")
		case "QUIT":
			reply("221 bye")
			return
		case "AUTH":
			reply("235 2.7.0 accepted")
		default:
			reply("250 ok")
		}
	}
}

func TestSendMailFailures(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()

	tests := []struct {
		name     string
		addr     func(t *testing.T) string
		tls      string
		username string
		to       []string
		timeout  time.Duration
		want     []string
	}{
		{
			name: "closed port",
			addr: func(*testing.T) string { return closedAddr },
			tls:  MailStartTLS,
			want: []string{"connection refused"},
		},
		{
			name: "starttls against a server without STARTTLS",
			addr: func(t *testing.T) string {
				return startScriptedSMTP(t, &scriptedSMTP{extensions: []string{"AUTH PLAIN"}})
			},
			tls:  MailStartTLS,
			want: []string{"does not offer STARTTLS"},
		},
		{
			name: "implicit tls against a plain server",
			addr: func(t *testing.T) string { return startScriptedSMTP(t, &scriptedSMTP{}) },
			tls:  MailImplicitTLS,
			want: []string{"did not answer in TLS"},
		},
		{
			name: "authentication refused",
			addr: func(t *testing.T) string {
				return startScriptedSMTP(t, &scriptedSMTP{extensions: []string{"AUTH PLAIN"}, replies: map[string]string{"AUTH": "535 5.7.8 Authentication credentials invalid"}})
			},
			tls:      MailNoTLS,
			username: "svc-calscan",
			want:     []string{`authentication failed for user "svc-calscan"`, "535", "5.7.8 Authentication credentials invalid"},
		},
		{
			name:     "server offers no auth",
			addr:     func(t *testing.T) string { return startScriptedSMTP(t, &scriptedSMTP{}) },
			tls:      MailNoTLS,
			username: "svc-calscan",
			want:     []string{"offers no SMTP AUTH"},
		},
		{
			name: "recipient refused",
			addr: func(t *testing.T) string {
				return startScriptedSMTP(t, &scriptedSMTP{replies: map[string]string{"RCPT": "550 5.1.1 <nobody@example.com>: Recipient address rejected"}})
			},
			tls:  MailNoTLS,
			to:   []string{"nobody@example.com"},
			want: []string{"recipient refused", "550", "5.1.1 <nobody@example.com>: Recipient address rejected"},
		},
		{
			name: "sender refused",
			addr: func(t *testing.T) string {
				return startScriptedSMTP(t, &scriptedSMTP{replies: map[string]string{"MAIL": "553 5.7.1 Sender address rejected"}})
			},
			tls:  MailNoTLS,
			want: []string{"sender address refused", "553", "5.7.1 Sender address rejected"},
		},
		{
			name: "message refused",
			addr: func(t *testing.T) string {
				return startScriptedSMTP(t, &scriptedSMTP{replies: map[string]string{"DATA": "554 5.3.4 Message too big"}})
			},
			tls:  MailNoTLS,
			want: []string{"message refused", "554", "5.3.4 Message too big"},
		},
		{
			name:    "server never answers",
			addr:    func(t *testing.T) string { return startScriptedSMTP(t, &scriptedSMTP{silent: true}) },
			tls:     MailStartTLS,
			timeout: 300 * time.Millisecond,
			want:    []string{"no answer within 300ms"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := tt.addr(t)
			host, port := hostPort(t, addr)
			to := tt.to
			if to == nil {
				to = []string{"it@example.com"}
			}
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 10 * time.Second
			}
			m := Mail{Host: host, Port: port, TLS: tt.tls, Username: tt.username, Password: mailTestPassword,
				From: "calscan@example.com", To: to, Timeout: timeout}
			var logs bytes.Buffer
			err := SendMail(context.Background(), m, mailTestReport(), nil, zerolog.New(&logs).Level(zerolog.DebugLevel))
			for _, want := range tt.want {
				checkMailError(t, err, addr, want)
			}
			if strings.Contains(logs.String(), mailTestPassword) {
				t.Errorf("the log holds the SMTP password:\n%s", logs.String())
			}
		})
	}
}

// TestSendMailKeepsPasswordOffPlainConnections: without TLS, PLAIN and LOGIN
// are refused to any host but localhost, so the password is never sent in clear.
func TestSendMailKeepsPasswordOffPlainConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.2:0") // loopback, but not a name go-mail treats as local
	if err != nil {
		t.Skipf("127.0.0.2 is not usable here: %v", err)
	}
	ln.Close()
	s := &scriptedSMTP{listen: "127.0.0.2:0", extensions: []string{"AUTH PLAIN LOGIN"},
		replies: map[string]string{"AUTH": "535 5.7.8 the password reached the server"}}
	addr := startScriptedSMTP(t, s)
	host, port := hostPort(t, addr)
	m := Mail{Host: host, Port: port, TLS: MailNoTLS, Username: "svc-calscan", Password: mailTestPassword,
		From: "calscan@example.com", To: []string{"it@example.com"}, Timeout: 10 * time.Second}
	err = SendMail(context.Background(), m, mailTestReport(), nil, zerolog.New(zerolog.NewTestWriter(t)))
	checkMailError(t, err, addr, "unencrypted connection")
	if strings.Contains(err.Error(), "reached the server") {
		t.Errorf("the client sent AUTH over a plain connection: %v", err)
	}
}

func TestSendMailCancelled(t *testing.T) {
	s := &scriptedSMTP{silent: true}
	addr := startScriptedSMTP(t, s)
	host, port := hostPort(t, addr)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-s.accepted
		cancel()
	}()
	// The timeout is far longer than the test: only cancellation can end the send early.
	m := Mail{Host: host, Port: port, TLS: MailStartTLS, From: "calscan@example.com", To: []string{"it@example.com"}, Timeout: 5 * time.Minute}
	err := SendMail(ctx, m, mailTestReport(), nil, zerolog.New(zerolog.NewTestWriter(t)))
	checkMailError(t, err, addr, "cancelled")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v does not wrap context.Canceled", err)
	}
}

func TestMailStringHidesPassword(t *testing.T) {
	m := Mail{Host: "smtp.example.com", Port: 587, TLS: MailStartTLS, Username: "svc", Password: mailTestPassword,
		From: "calscan@example.com", To: []string{"it@example.com"}}
	for _, format := range []string{"%v", "%+v", "%s"} {
		t.Run(format, func(t *testing.T) {
			got := fmt.Sprintf(format, m)
			if strings.Contains(got, mailTestPassword) || !strings.Contains(got, "smtp.example.com") {
				t.Errorf("Sprintf(%q) = %q: want the host and no password", format, got)
			}
		})
	}
}

func TestSendMailBadInput(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone.csv")
	badCA := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(badCA, []byte("not a certificate"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := Mail{Host: "127.0.0.1", Port: 1, TLS: MailNoTLS, From: "calscan@example.com", To: []string{"it@example.com"}}
	tests := []struct {
		name        string
		change      func(m *Mail)
		attachments []string
		want        string
	}{
		{"missing attachment", func(*Mail) {}, []string{missing}, "gone.csv"},
		{"bad from address", func(m *Mail) { m.From = "not an address" }, nil, "from address"},
		{"bad recipient", func(m *Mail) { m.To = []string{"it@example.com", "@@"} }, nil, "to address"},
		{"no recipients", func(m *Mail) { m.To = nil }, nil, "no recipients"},
		{"no host", func(m *Mail) { m.Host = "" }, nil, "no SMTP host"},
		{"unknown TLS mode", func(m *Mail) { m.TLS = "ssl" }, nil, `unknown TLS mode "ssl"`},
		{"bad subject template", func(m *Mail) { m.Subject = "{{.Verdict" }, nil, "subject template"},
		{"unknown subject field", func(m *Mail) { m.Subject = "{{.Nope}}" }, nil, "subject template"},
		{"CA bundle without certificates", func(m *Mail) { m.CAFile = badCA }, nil, "no PEM certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good
			tt.change(&m)
			err := SendMail(context.Background(), m, mailTestReport(), tt.attachments, zerolog.New(zerolog.NewTestWriter(t)))
			var me *MailError
			if !errors.As(err, &me) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want a *MailError saying %q", err, tt.want)
			}
		})
	}
}

// ---------------------------------------------------------------- content

func TestRenderSubject(t *testing.T) {
	rep := mailTestReport()
	compliant := New(&rules.Result{Compliant: true, Directories: []rules.DirectoryCounts{{Name: "corp"}}}, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "")
	tests := []struct {
		name, tmpl string
		rep        *Report
		want       string
	}{
		{"default", "", rep, "CAL compliance: Not compliant"},
		{"all fields", "{{.Verdict}}|{{.Compliant}}|{{.Shortfall}}|{{.Domains}}|{{.Date}}|{{.Action}}", rep,
			"Not compliant|false|68|corp, lab|2026-11-26|" + mailTestMoney},
		{"compliant", "{{if .Compliant}}OK{{else}}ACTION{{end}} {{.Domains}} {{.Shortfall}}", compliant, "OK corp 0"},
		{"newlines cannot add headers", "CAL\r\nBcc: x@example.com\n {{.Verdict}}", compliant, "CAL Bcc: x@example.com Compliant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := renderSubject(tt.tmpl, tt.rep)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("subject = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckSubject(t *testing.T) {
	tests := []struct {
		tmpl string
		ok   bool
	}{
		{DefaultMailSubject, true},
		{"{{.Verdict}} {{.Shortfall}} {{.Domains}} {{.Compliant}} {{.Action}} {{.Date}}", true},
		{"{{.Verdict", false},
		{"{{.Unknown}}", false},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			if err := CheckSubject(tt.tmpl); (err == nil) != tt.ok {
				t.Errorf("CheckSubject(%q) = %v, want ok=%v", tt.tmpl, err, tt.ok)
			}
		})
	}
}

func TestEmailBodies(t *testing.T) {
	view := newEmailView(mailTestReport(), []string{"report.html", "users.csv"})
	html, err := emailHTML(view)
	if err != nil {
		t.Fatal(err)
	}
	text := emailText(view)
	checkMailBodies(t, text, html)

	tests := []struct {
		name string
		body string
		want []string
	}{
		{"html lists the attachments", html, []string{"Attached: report.html, users.csv"}},
		{"text lists the attachments", text, []string{"Attached: report.html, users.csv"}},
		{"violations come first", text, []string{"[Violation] CAL_SHORTFALL", "[Warning] UNKNOWN_OPERATING_SYSTEM"}},
		{"what to do", html, []string{"What to do:</strong> Add a [[server]] block for it."}},
		{"info findings are only counted", text, []string{"1 further note is in the full report."}},
		{"per-version rows", html, []string{"version 2019", "version 2022"}},
		{"scanned domains", text, []string{"Scanned: corp, lab"}},
		{"text table", text, []string{"\n" +
			"CAL type        Version needed  Required  Owned  To buy  Spare\n" +
			"User            2022               1,840  1,772      68      0\n" +
			"  version 2019                        40  1,772\n" +
			"  version 2022                     1,800      0\n" +
			"Device          -                      0     10       0     10\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			last := -1
			for _, w := range tt.want {
				i := strings.Index(tt.body, w)
				if i < 0 {
					t.Errorf("body lacks %q", w)
					continue
				}
				if i < last {
					t.Errorf("%q comes before the previous item", w)
				}
				last = i
			}
		})
	}
	if strings.Contains(text, "RECLAIMABLE_ACCOUNTS") {
		t.Error("the text body lists an info finding")
	}
}

func TestAttachmentType(t *testing.T) {
	tests := []struct{ path, want string }{
		{"out/report.html", "text/html; charset=utf-8"},
		{"users.CSV", "text/csv; charset=utf-8"},
		{"report.json", "application/json"},
		{"archive.zip", "application/octet-stream"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := string(attachmentType(tt.path)); got != tt.want {
				t.Errorf("attachmentType(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

// ---------------------------------------------------------------- send rules

func TestShouldSend(t *testing.T) {
	at := time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC)
	report := func(compliant bool, cals []rules.CALLine, codes ...string) *Report {
		var findings []rules.Finding
		for _, c := range codes {
			findings = append(findings, rules.Finding{Code: c, Severity: rules.SeverityWarning, Subjects: []string{"x"}})
		}
		return New(&rules.Result{Compliant: compliant, CALs: cals, Findings: findings}, at, "")
	}
	user := func(required, owned, shortfall int) []rules.CALLine {
		return []rules.CALLine{{Type: rules.CALUser, Required: required, Owned: owned, Shortfall: shortfall}}
	}
	base := report(false, user(120, 100, 20), "CAL_SHORTFALL")

	tests := []struct {
		name     string
		rule     string
		cur      *Report
		previous *Report
		send     bool
		why      string
	}{
		{"always", SendAlways, report(true, user(10, 10, 0)), nil, true, "always"},
		{"always, even unchanged", SendAlways, base, base, true, "always"},
		{"on-violation, not compliant", SendOnViolation, base, nil, true, "not compliant"},
		{"on-violation, compliant", SendOnViolation, report(true, user(10, 10, 0)), base, false, "compliant"},
		{"on-change, no previous", SendOnChange, base, nil, true, "no previous report"},
		{"on-change, unchanged", SendOnChange, report(false, user(120, 100, 20), "CAL_SHORTFALL"), base, false, "nothing changed since the report of 2026-11-19 10:00 UTC"},
		{"on-change, compliance", SendOnChange, report(true, user(120, 100, 20), "CAL_SHORTFALL"), base, true, "Not compliant → Compliant"},
		{"on-change, required", SendOnChange, report(false, user(121, 100, 20), "CAL_SHORTFALL"), base, true, "User CALs required 120 → 121"},
		{"on-change, owned", SendOnChange, report(false, user(120, 110, 20), "CAL_SHORTFALL"), base, true, "User CALs owned 100 → 110"},
		{"on-change, shortfall", SendOnChange, report(false, user(120, 100, 10), "CAL_SHORTFALL"), base, true, "User CALs to buy 20 → 10"},
		{"on-change, new CAL type", SendOnChange,
			report(false, append(user(120, 100, 20), rules.CALLine{Type: rules.CALRDSUser, Required: 5, Shortfall: 5}), "CAL_SHORTFALL"), base, true,
			"RDS User CALs required 0 → 5"},
		{"on-change, CAL type gone", SendOnChange, report(false, nil, "CAL_SHORTFALL"), base, true, "User CALs required 120 → 0"},
		{"on-change, new finding", SendOnChange, report(false, user(120, 100, 20), "CAL_SHORTFALL", "TLS_VERIFICATION_DISABLED"), base, true,
			"new findings: TLS_VERIFICATION_DISABLED"},
		{"on-change, resolved finding", SendOnChange, report(false, user(120, 100, 20)), base, true, "resolved findings: CAL_SHORTFALL"},
		{"on-change, same codes in another order and count", SendOnChange,
			report(false, user(120, 100, 20), "CAL_SHORTFALL", "CAL_SHORTFALL"), base, false, "nothing changed"},
		{"unknown rule", "weekly", base, nil, false, `unknown send rule "weekly"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			send, why := ShouldSend(tt.rule, tt.cur, tt.previous)
			if send != tt.send || !strings.Contains(why, tt.why) {
				t.Errorf("ShouldSend(%q) = %v, %q; want %v and a reason containing %q", tt.rule, send, why, tt.send, tt.why)
			}
		})
	}
}
