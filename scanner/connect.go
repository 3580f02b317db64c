package scanner

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// endpoint is a parsed ldap:// or ldaps:// URL.
type endpoint struct {
	host          string // without brackets or port
	addr          string // host:port to dial
	ldaps         bool
	globalCatalog bool // the Global Catalog ports: 3268, or 3269 with TLS
}

// Global Catalog ports: a forest-wide, partial replica of every domain.
const (
	globalCatalogPort    = "3268"
	globalCatalogTLSPort = "3269"
)

func parseEndpoint(raw string) (endpoint, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return endpoint{}, fmt.Errorf("url %q: %w", raw, err)
	}
	var ep endpoint
	port := u.Port()
	switch strings.ToLower(u.Scheme) {
	case "ldap":
		if port == "" {
			port = "389"
		}
	case "ldaps":
		ep.ldaps = true
		if port == "" {
			port = "636"
		}
	default:
		return endpoint{}, fmt.Errorf("url %q: scheme must be ldap:// or ldaps://", raw)
	}
	ep.host = u.Hostname()
	if ep.host == "" {
		return endpoint{}, fmt.Errorf("url %q: no host", raw)
	}
	ep.addr = net.JoinHostPort(ep.host, port)
	ep.globalCatalog = port == globalCatalogPort || port == globalCatalogTLSPort
	return ep, nil
}

// connect dials the directory, sets up TLS (ldaps:// or StartTLS) and
// returns an unbound connection. Failures are *DirectoryError with Op
// "connect" or "tls".
func connect(ctx context.Context, opts *LDAPOptions) (*ldap.Conn, error) {
	fail := func(op string, err error) error {
		return &DirectoryError{Directory: opts.Name, Op: op, Err: err}
	}
	ep, err := parseEndpoint(opts.URL)
	if err != nil {
		return nil, fail("connect", err)
	}
	if ep.ldaps && opts.StartTLS {
		return nil, fail("connect", errors.New("start_tls cannot be used with ldaps:// (the connection is already TLS)"))
	}

	var tlsConf *tls.Config
	var verifier *tlsVerifier
	if ep.ldaps || opts.StartTLS {
		if tlsConf, verifier, err = newTLSConfig(opts, ep.host); err != nil {
			return nil, fail("tls", err)
		}
	}

	dialer := &net.Dialer{Timeout: opts.Timeout}
	raw, err := dialer.DialContext(ctx, "tcp", ep.addr)
	if err != nil {
		return nil, fail("connect", err)
	}

	if ep.ldaps {
		tlsConn, err := handshake(ctx, raw, tlsConf, opts.Timeout)
		if err != nil {
			_ = raw.Close()
			return nil, fail("tls", verifier.explain(fmt.Errorf("TLS handshake with %s failed (is it an LDAPS port?): %w", ep.addr, err)))
		}
		raw = tlsConn
	}

	conn := ldap.NewConn(raw, ep.ldaps)
	conn.Start()
	conn.SetTimeout(opts.Timeout)

	if opts.StartTLS {
		if err := startTLS(conn, raw, tlsConf, opts.Timeout); err != nil {
			_ = conn.Close()
			return nil, fail("tls", verifier.explain(err))
		}
	}
	return conn, nil
}

func handshake(ctx context.Context, raw net.Conn, conf *tls.Config, timeout time.Duration) (*tls.Conn, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	tlsConn := tls.Client(raw, conf)
	if err := tlsConn.HandshakeContext(ctx); err != nil {
		return nil, err
	}
	return tlsConn, nil
}

// startTLS upgrades conn. go-ldap runs the handshake with no deadline of its
// own, so one is put on the raw connection for the duration.
func startTLS(conn *ldap.Conn, raw net.Conn, conf *tls.Config, timeout time.Duration) error {
	if timeout > 0 {
		_ = raw.SetDeadline(time.Now().Add(timeout))
		defer func() { _ = raw.SetDeadline(time.Time{}) }()
	}
	err := conn.StartTLS(conf)
	var lerr *ldap.Error
	if err != nil && errors.As(err, &lerr) && lerr.ResultCode != ldap.ErrorNetwork {
		return fmt.Errorf("server refused StartTLS: %w", err)
	}
	return err
}

// newTLSConfig builds the client TLS configuration for host.
//
// Certificate checking is done by tlsVerifier rather than by crypto/tls
// itself so that the typed x509 error survives: go-ldap's StartTLS flattens
// handshake errors to text, and the user needs to be told which check failed.
func newTLSConfig(opts *LDAPOptions, host string) (*tls.Config, *tlsVerifier, error) {
	v := &tlsVerifier{serverName: opts.ServerName, caFile: opts.CAFile, skip: opts.InsecureSkipVerify}
	if v.serverName == "" {
		v.serverName = host
	}
	if opts.CAFile != "" {
		roots, err := loadCAFile(opts.CAFile)
		if err != nil {
			return nil, nil, err
		}
		v.roots = roots
	}
	conf := &tls.Config{
		ServerName:         v.serverName,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, //nolint:gosec // verified in VerifyConnection unless the user disabled it
		VerifyConnection:   v.verify,
	}
	return conf, v, nil
}

func loadCAFile(path string) (*x509.CertPool, error) {
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ca_file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("ca_file %s: no PEM certificates in it", path)
	}
	return pool, nil
}

// tlsVerifier checks one handshake's server certificate and keeps the
// failure, typed, for explain.
type tlsVerifier struct {
	roots      *x509.CertPool // nil: the system roots
	caFile     string
	serverName string
	skip       bool
	leaf       *x509.Certificate // the server's certificate, once seen
	err        error
}

func (v *tlsVerifier) verify(cs tls.ConnectionState) error {
	if v.skip {
		return nil
	}
	if len(cs.PeerCertificates) == 0 {
		v.err = errors.New("the server sent no certificate")
		return v.err
	}
	v.leaf = cs.PeerCertificates[0]
	intermediates := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		intermediates.AddCert(c)
	}
	_, v.err = cs.PeerCertificates[0].Verify(x509.VerifyOptions{
		Roots:         v.roots,
		Intermediates: intermediates,
		DNSName:       v.serverName,
	})
	return v.err
}

// explain turns a failed handshake into a message that says which check
// failed. handshakeErr is returned as is when the certificate was not the cause.
func (v *tlsVerifier) explain(handshakeErr error) error {
	if v == nil || v.err == nil {
		return handshakeErr
	}
	err := v.err
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		noSystemRoots    x509.SystemRootsError
	)
	switch {
	case errors.As(err, &unknownAuthority):
		trustedBy := "the system roots (set ca_file to the issuing CA)"
		if v.caFile != "" {
			trustedBy = "ca_file " + v.caFile
		}
		issuer := "an unknown issuer"
		if c := unknownAuthority.Cert; c != nil {
			issuer = fmt.Sprintf("%q", c.Issuer.String())
		}
		return fmt.Errorf("server certificate %s is issued by %s, which is not trusted by %s: %w",
			certLabel(v.leaf), issuer, trustedBy, err)
	case errors.As(err, &noSystemRoots):
		return fmt.Errorf("no system roots to verify the server certificate (set ca_file): %w", err)
	case errors.As(err, &hostname):
		return fmt.Errorf("server certificate name mismatch: it is for %s, not %q (connect by one of its names or set server_name): %w",
			certNames(hostname.Certificate), v.serverName, err)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		c := invalid.Cert
		when := fmt.Sprintf("expired on %s", c.NotAfter.UTC().Format(time.RFC3339))
		if time.Now().Before(c.NotBefore) {
			when = fmt.Sprintf("not valid before %s", c.NotBefore.UTC().Format(time.RFC3339))
		}
		return fmt.Errorf("certificate %s %s (valid from %s until %s): %w", certLabel(c), when,
			c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339), err)
	}
	return fmt.Errorf("server certificate rejected: %w", err)
}

// certLabel names a certificate by its subject, or its first SAN when the subject is empty.
func certLabel(c *x509.Certificate) string {
	switch {
	case c == nil:
		return "(none)"
	case c.Subject.String() != "":
		return fmt.Sprintf("%q", c.Subject.String())
	case len(c.DNSNames) > 0:
		return fmt.Sprintf("for %q", c.DNSNames[0])
	case len(c.IPAddresses) > 0:
		return fmt.Sprintf("for %s", c.IPAddresses[0])
	}
	return "(unnamed)"
}

// certNames lists the names a certificate is valid for.
func certNames(c *x509.Certificate) string {
	if c == nil {
		return "no names"
	}
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return fmt.Sprintf("no subject alternative names (only the legacy common name %q, which is not accepted)", c.Subject.CommonName)
	}
	return strings.Join(names, ", ")
}
