package report

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/calscan/calscan/rules"
)

// Mail is how to reach the SMTP server and whom to send the report to.
type Mail struct {
	Host string
	Port int // 0: 587, 465 or 25 by TLS mode

	TLS string // MailStartTLS, MailImplicitTLS or MailNoTLS; "" is MailStartTLS

	Username string // empty: no SMTP AUTH
	Password string

	From string
	To   []string

	// Subject is a text/template over SubjectData.
	Subject string

	CAFile  string        // PEM roots for the server's certificate; empty: system roots
	Timeout time.Duration // bounds connecting and each SMTP exchange; 0: 30 s
}

// String describes the settings without the password, should they ever be
// printed or logged.
func (m Mail) String() string {
	return fmt.Sprintf("smtp %s port %d tls %s user %q from %q to %v", m.Host, m.Port, m.TLS, m.Username, m.From, m.To)
}

// TLS modes of Mail.
const (
	MailStartTLS    = "starttls" // plain connection upgraded by STARTTLS, which the server must offer
	MailImplicitTLS = "tls"      // TLS from the first byte (SMTPS, port 465)
	MailNoTLS       = "none"
)

const defaultMailTimeout = 30 * time.Second

// MailError is a failure to send the report by email. The command maps it to
// exit code 4, like an OutputError.
type MailError struct {
	Server string // host:port
	Reason string // what went wrong, in words an admin can act on
	Err    error
}

func (e *MailError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("send email via %s: %s", e.Server, e.Reason)
	}
	return fmt.Sprintf("send email via %s: %s: %v", e.Server, e.Reason, e.Err)
}

func (e *MailError) Unwrap() error { return e.Err }

// SendMail emails the report: a plain-text and an HTML summary, with the
// given report files attached. Every failure is a *MailError naming the
// server and the reason. Cancelling ctx aborts the SMTP session.
func SendMail(ctx context.Context, m Mail, rep *Report, attachments []string, log zerolog.Logger) error {
	m = withMailDefaults(m)
	server := net.JoinHostPort(m.Host, strconv.Itoa(m.Port))
	fail := func(reason string, err error) error { return &MailError{Server: server, Reason: reason, Err: err} }

	if m.Host == "" {
		return fail("no SMTP host configured", nil)
	}
	switch m.TLS {
	case MailStartTLS, MailImplicitTLS, MailNoTLS:
	default:
		return fail(fmt.Sprintf("unknown TLS mode %q (use starttls, tls or none)", m.TLS), nil)
	}
	msg, err := newMessage(m, rep, attachments)
	if err != nil {
		return fail("compose the message", err)
	}
	tlsConfig, err := mailTLSConfig(m)
	if err != nil {
		return fail("load the CA bundle", err)
	}
	d := &mailDialer{ctx: ctx, mode: m.TLS, tls: tlsConfig, timeout: m.Timeout}
	defer d.release()
	client, err := gomail.NewClient(m.Host, clientOptions(m, tlsConfig, d)...)
	if err != nil {
		return fail("set up the SMTP client", err)
	}

	log.Debug().Str("server", server).Str("tls", m.TLS).Str("username", m.Username).
		Strs("to", m.To).Int("attachments", len(attachments)).Msg("sending the report by email")
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return classifyMailError(ctx, server, m, err)
	}
	log.Info().Str("server", server).Strs("to", m.To).Msg("report emailed")
	return nil
}

func withMailDefaults(m Mail) Mail {
	m.TLS = strings.ToLower(strings.TrimSpace(m.TLS))
	if m.TLS == "" {
		m.TLS = MailStartTLS
	}
	if m.Port == 0 {
		switch m.TLS {
		case MailImplicitTLS:
			m.Port = 465
		case MailNoTLS:
			m.Port = 25
		default:
			m.Port = 587
		}
	}
	if m.Timeout <= 0 {
		m.Timeout = defaultMailTimeout
	}
	return m
}

func mailTLSConfig(m Mail) (*tls.Config, error) {
	cfg := &tls.Config{ServerName: m.Host, MinVersion: tls.VersionTLS12}
	if m.CAFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(m.CAFile)
	if err != nil {
		return nil, fmt.Errorf("read ca_file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("ca_file %s holds no PEM certificate", m.CAFile)
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// authPreference lists the SMTP AUTH mechanisms calscan will use, strongest
// first. PLAIN and LOGIN refuse to send the password over a connection that is
// not encrypted (except to localhost): go-mail checks that itself.
var authPreference = []gomail.SMTPAuthType{
	gomail.SMTPAuthSCRAMSHA256PLUS, gomail.SMTPAuthSCRAMSHA256,
	gomail.SMTPAuthSCRAMSHA1PLUS, gomail.SMTPAuthSCRAMSHA1,
	gomail.SMTPAuthCramMD5, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin,
}

func clientOptions(m Mail, tlsConfig *tls.Config, d *mailDialer) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(m.Port),
		gomail.WithTimeout(m.Timeout),
		gomail.WithTLSConfig(tlsConfig),
		gomail.WithDialContextFunc(d.dial),
	}
	if m.TLS == MailStartTLS {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	} else { // none, or implicit TLS, which the dialer sets up before SMTP starts
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if m.Username != "" {
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(authPreference...),
			gomail.WithUsername(m.Username),
			gomail.WithPassword(m.Password))
	}
	return opts
}

// mailDialer opens the connection for go-mail: TCP, then TLS in implicit
// mode. It closes the connection when ctx is cancelled (go-mail alone honours
// ctx only while dialling) and when the send is over (go-mail leaves it open
// when the session fails before AUTH completes, e.g. without STARTTLS).
type mailDialer struct {
	ctx     context.Context
	mode    string
	tls     *tls.Config
	timeout time.Duration

	mu    sync.Mutex
	conns []net.Conn
	stops []func() bool
}

func (d *mailDialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	nd := net.Dialer{Timeout: d.timeout}
	conn, err := nd.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.conns = append(d.conns, conn)
	d.stops = append(d.stops, context.AfterFunc(d.ctx, func() { _ = conn.Close() }))
	d.mu.Unlock()
	if d.mode != MailImplicitTLS {
		return conn, nil
	}
	tc := tls.Client(conn, d.tls)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, err
	}
	return tc, nil
}

// release closes what the session left open and detaches it from ctx.
func (d *mailDialer) release() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, stop := range d.stops {
		stop()
	}
	for _, c := range d.conns {
		_ = c.Close() // usually closed already by QUIT
	}
	d.stops, d.conns = nil, nil
}

// classifyMailError names the reason for a failed send, so that the admin
// knows whether to fix the network, the CA bundle, the credentials or the
// addresses. The wrapped error keeps the server's own reply.
func classifyMailError(ctx context.Context, server string, m Mail, err error) error {
	fail := func(reason string) error { return &MailError{Server: server, Reason: reason, Err: err} }
	var (
		dnsErr     *net.DNSError
		unknownCA  x509.UnknownAuthorityError
		badHost    x509.HostnameError
		badCert    x509.CertificateInvalidError
		notTLS     tls.RecordHeaderError
		sendErr    *gomail.SendError
		netTimeout net.Error
	)
	switch {
	case ctx.Err() != nil:
		return &MailError{Server: server, Reason: "cancelled", Err: ctx.Err()}
	case errors.Is(err, syscall.ECONNREFUSED):
		return fail("connection refused (is an SMTP server listening on that port?)")
	case errors.As(err, &dnsErr):
		return fail("cannot resolve the host name")
	case errors.As(err, &unknownCA):
		return fail("TLS certificate not trusted (set ca_file to the CA that signed the server's certificate)")
	case errors.As(err, &badHost):
		return fail("TLS certificate does not name " + m.Host)
	case errors.As(err, &badCert):
		return fail("TLS certificate invalid")
	case errors.As(err, &notTLS):
		return fail(`the server did not answer in TLS (tls = "tls" needs an implicit-TLS port such as 465; use "starttls" for 587)`)
	case errors.As(err, &netTimeout) && netTimeout.Timeout():
		return fail("no answer within " + m.Timeout.String())
	case errors.Is(err, gomail.ErrNoSupportedAuthDiscovered):
		return fail("no SMTP AUTH mechanism both sides support (the password is not sent unencrypted)")
	case errors.As(err, &sendErr):
		return fail(sendFailure(sendErr.Reason))
	}
	// go-mail reports these with plain errors.New/fmt.Errorf texts.
	switch msg := err.Error(); {
	case strings.Contains(msg, "does not support STARTTLS"):
		return fail(`the server does not offer STARTTLS (use tls = "tls" for an implicit-TLS port, or "none" on a trusted network)`)
	case strings.Contains(msg, "does not support SMTP AUTH"):
		return fail("the server offers no SMTP AUTH on this connection, but a username is configured")
	case errors.Is(err, smtp.ErrUnencrypted):
		return fail("the password would cross an unencrypted connection (use tls = \"starttls\" or \"tls\")")
	case strings.Contains(msg, "SMTP AUTH failed"):
		return fail(fmt.Sprintf("authentication failed for user %q", m.Username))
	}
	return fail("sending failed")
}

func sendFailure(r gomail.SendErrReason) string {
	switch r {
	case gomail.ErrSMTPRcptTo:
		return "recipient refused"
	case gomail.ErrSMTPMailFrom:
		return "sender address refused"
	case gomail.ErrSMTPData, gomail.ErrSMTPDataClose, gomail.ErrWriteContent:
		return "message refused"
	case gomail.ErrGetSender, gomail.ErrGetRcpts:
		return "invalid address"
	}
	return "sending failed"
}

// Send rules: when `scan --email` sends.
const (
	SendAlways      = "always"
	SendOnViolation = "on-violation" // the report is not compliant
	SendOnChange    = "on-change"    // compliance, a CAL number or the set of finding codes changed
)

// ShouldSend applies a send rule to the report and the previous one (nil when
// there is none), and says why, for the log.
func ShouldSend(rule string, rep *Report, previous *Report) (bool, string) {
	if rep == nil {
		return false, "no report"
	}
	switch rule {
	case SendAlways:
		return true, "the send rule is always"
	case SendOnViolation:
		if rep.Compliant {
			return false, "compliant, and the send rule is on-violation"
		}
		return true, "not compliant"
	case SendOnChange:
		if previous == nil {
			return true, "no previous report to compare with"
		}
		since := "since the report of " + previous.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")
		changes := reportChanges(previous, rep)
		if len(changes) == 0 {
			return false, "nothing changed " + since
		}
		return true, "changed " + since + ": " + strings.Join(changes, "; ")
	}
	return false, fmt.Sprintf("unknown send rule %q (use always, on-violation or on-change)", rule)
}

// reportChanges lists what on-change compares: compliance, the required,
// owned and shortfall numbers per CAL type, and the set of finding codes.
func reportChanges(prev, cur *Report) []string {
	var changes []string
	if prev.Compliant != cur.Compliant {
		changes = append(changes, verdictTitle(prev)+" → "+verdictTitle(cur))
	}

	prevCALs := make(map[string]rules.CALLine, len(prev.CALs))
	for _, c := range prev.CALs {
		prevCALs[string(c.Type)] = c
	}
	seen := make(map[string]bool)
	compare := func(t rules.CALType, was, now rules.CALLine) {
		for _, n := range []struct {
			what     string
			was, now int
		}{
			{"required", was.Required, now.Required},
			{"owned", was.Owned, now.Owned},
			{"to buy", was.Shortfall, now.Shortfall},
		} {
			if n.was != n.now {
				changes = append(changes, fmt.Sprintf("%s CALs %s %s → %s", calTypeLabel(t), n.what, rules.FormatCount(n.was), rules.FormatCount(n.now)))
			}
		}
	}
	for _, c := range cur.CALs {
		seen[string(c.Type)] = true
		compare(c.Type, prevCALs[string(c.Type)], c)
	}
	for _, c := range prev.CALs {
		if !seen[string(c.Type)] {
			compare(c.Type, c, rules.CALLine{})
		}
	}

	prevCodes, curCodes := findingCodes(prev.Findings), findingCodes(cur.Findings)
	if added := missingFrom(curCodes, prevCodes); len(added) > 0 {
		changes = append(changes, "new findings: "+strings.Join(added, ", "))
	}
	if gone := missingFrom(prevCodes, curCodes); len(gone) > 0 {
		changes = append(changes, "resolved findings: "+strings.Join(gone, ", "))
	}
	return changes
}

func findingCodes(findings []rules.Finding) map[string]bool {
	codes := make(map[string]bool, len(findings))
	for _, f := range findings {
		codes[f.Code] = true
	}
	return codes
}

// missingFrom lists, sorted, the codes in a that are not in b.
func missingFrom(a, b map[string]bool) []string {
	var out []string
	for code := range a {
		if !b[code] {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out
}
