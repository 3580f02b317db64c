package adsim

import (
	"crypto/tls"
	"errors"
	"fmt"
	"hash/maphash"
	"net"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/jimlambrt/gldap"
)

// Options configures a Server.
type Options struct {
	Directory      *Directory
	BindDN         string // accepted bind name; its UPN form (UPN field) is accepted too
	UPN            string
	Password       string
	AllowAnonymous bool
	// AccountErrors maps a bind name to the AD data code ("775", "532", …)
	// returned with result 49 when that name binds.
	AccountErrors map[string]string
	MaxPageSize   int // 0 = 1000, as AD's MaxPageSize
	// UnpagedLimit caps unpaged searches (0 = no cap). 1000 is Windows AD: an
	// unpaged search returns 1000 entries then sizeLimitExceeded (4).
	UnpagedLimit int
	TLSConfig    *tls.Config // non-nil: StartTLS offered (or LDAPS when LDAPS is true)
	LDAPS        bool
	Addr         string // default "127.0.0.1:0"
}

// Server is a running directory, safe for concurrent connections. gldap
// serves LDAP on an internal loopback port; clients connect to the front
// door at URL, which relays to it and lets Close end connections that gldap
// alone would wait for.
type Server struct {
	opts     Options
	ix       *index
	creds    credentials
	sessions *sessions
	seed     maphash.Seed // keys the paging cookies
	url      string

	ldap    *gldap.Server
	front   *frontDoor
	runDone chan error

	closeOnce sync.Once
	closeErr  error
}

// startTimeout bounds how long Start waits for gldap to listen.
const startTimeout = 10 * time.Second

// Start serves o.Directory until Close.
func Start(o Options) (*Server, error) {
	if o.LDAPS && o.TLSConfig == nil {
		return nil, errors.New("start directory: LDAPS needs a TLS config")
	}
	ix, err := newIndex(o.Directory)
	if err != nil {
		return nil, fmt.Errorf("start directory: %w", err)
	}
	if o.MaxPageSize <= 0 {
		o.MaxPageSize = 1000
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	s := &Server{
		opts:     o,
		ix:       ix,
		creds:    newCredentials(o),
		sessions: newSessions(),
		seed:     maphash.MakeSeed(),
		runDone:  make(chan error, 1),
	}
	backend, err := s.startLDAP()
	if err != nil {
		return nil, fmt.Errorf("start directory: %w", err)
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		_ = s.stopLDAP()
		return nil, fmt.Errorf("start directory: listen on %s: %w", o.Addr, err)
	}
	s.front = newFrontDoor(ln, backend)
	scheme := "ldap"
	if o.LDAPS {
		scheme = "ldaps"
	}
	s.url = scheme + "://" + ln.Addr().String()
	return s, nil
}

// startLDAP runs gldap on an ephemeral loopback port and returns its address.
func (s *Server) startLDAP() (string, error) {
	watch := &listenWatcher{Logger: hclog.NewNullLogger(), addr: make(chan string, 1)}
	srv, err := gldap.NewServer(gldap.WithLogger(watch), gldap.WithOnClose(s.sessions.drop))
	if err != nil {
		return "", fmt.Errorf("new ldap server: %w", err)
	}
	if err := srv.Router(s.routes()); err != nil {
		return "", fmt.Errorf("ldap routes: %w", err)
	}
	s.ldap = srv
	var runOpts []gldap.Option
	if s.opts.LDAPS {
		runOpts = append(runOpts, gldap.WithTLSConfig(s.opts.TLSConfig))
	}
	go func() { s.runDone <- srv.Run("127.0.0.1:0", runOpts...) }()
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case addr := <-watch.addr:
		return addr, nil
	case err := <-s.runDone:
		return "", fmt.Errorf("ldap listener: %w", err)
	case <-timer.C:
		_ = srv.Stop()
		return "", errors.New("ldap listener did not start")
	}
}

func (s *Server) routes() *gldap.Mux {
	mux, _ := gldap.NewMux()
	_ = mux.Bind(s.handleBind)
	_ = mux.Search(s.handleSearch)
	_ = mux.ExtendedOperation(s.handleStartTLS, gldap.ExtendedOperationStartTLS)
	_ = mux.Modify(readOnly(gldap.ApplicationModifyResponse))
	_ = mux.Add(readOnly(gldap.ApplicationAddResponse))
	_ = mux.Delete(readOnly(gldap.ApplicationDelResponse))
	_ = mux.DefaultRoute(readOnly(gldap.ApplicationExtendedResponse))
	return mux
}

// URL is "ldap://127.0.0.1:PORT" or "ldaps://127.0.0.1:PORT".
func (s *Server) URL() string { return s.url }

// Close stops listening, ends every connection and waits for them.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		frontErr := s.front.close()
		s.closeErr = errors.Join(frontErr, s.stopLDAP())
		if s.closeErr != nil {
			s.closeErr = fmt.Errorf("close directory: %w", s.closeErr)
		}
	})
	return s.closeErr
}

// stopLDAP stops gldap and waits for its accept loop to return. It first
// waits for gldap to close every connection the front door made (the front
// door has ended them): gldap counts its connections in a WaitGroup that
// its accept loop adds to and Stop waits on, and that order of events is
// what makes the two safe to run one after the other.
func (s *Server) stopLDAP() error {
	s.sessions.waitClosed(s.front.connections(), 5*time.Second)
	err := s.ldap.Stop()
	return errors.Join(err, <-s.runDone)
}

// listenWatcher is gldap's logger: silent, except that it catches the
// address gldap logs once it listens (gldap has no other way to tell an
// ephemeral port).
type listenWatcher struct {
	hclog.Logger
	addr chan string
}

func (l *listenWatcher) Info(msg string, args ...interface{}) {
	if msg != "listening" {
		return
	}
	for i := 0; i+1 < len(args); i += 2 {
		if a, ok := args[i+1].(net.Addr); ok && args[i] == "addr" {
			select {
			case l.addr <- a.String():
			default:
			}
		}
	}
}

// readOnly answers writes and unknown operations as a read-only DC would.
func readOnly(applicationCode int) gldap.HandlerFunc {
	return func(w *gldap.ResponseWriter, r *gldap.Request) {
		_ = w.Write(r.NewResponse(
			gldap.WithApplicationCode(applicationCode),
			gldap.WithResponseCode(gldap.ResultUnwillingToPerform),
			gldap.WithDiagnosticMessage("00002035: SvcErr: DSID-03152D2C, problem 5003 (WILL_NOT_PERFORM), data 0"),
			gldap.WithMatchedDN(""),
		))
	}
}
