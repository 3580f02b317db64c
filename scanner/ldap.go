package scanner

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-ldap/ldap/v3"
	"github.com/rs/zerolog"
)

// LDAP is a live directory read over LDAP: each Scan runs one paged,
// streaming search per kind of object, concurrently, each on its own
// connection.
type LDAP struct {
	opts LDAPOptions
	log  zerolog.Logger
}

var _ Source = (*LDAP)(nil)

// NewLDAP returns a Source for one [[directory]]. Zero values in opts take
// the package defaults (page size, timeout, filters). log is used as given:
// the caller adds the directory's name to it.
func NewLDAP(opts LDAPOptions, log zerolog.Logger) *LDAP {
	if opts.PageSize <= 0 {
		opts.PageSize = DefaultPageSize
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Bind == "" {
		opts.Bind = BindSimple
	}
	if opts.UserFilter == "" {
		opts.UserFilter = DefaultUserFilter
	}
	if opts.ComputerFilter == "" {
		opts.ComputerFilter = DefaultComputerFilter
	}
	if opts.GroupFilter == "" {
		opts.GroupFilter = DefaultGroupFilter
	}
	return &LDAP{opts: opts, log: log}
}

// Name is the [[directory]] name.
func (l *LDAP) Name() string { return l.opts.Name }

// GlobalCatalog reports whether the URL is a Global Catalog port (3268, or
// 3269 over TLS), which answers for the whole forest.
func (l *LDAP) GlobalCatalog() bool { return IsGlobalCatalog(l.opts.URL) }

// IsGlobalCatalog reports whether an LDAP URL names a Global Catalog port.
func IsGlobalCatalog(url string) bool {
	ep, err := parseEndpoint(url)
	return err == nil && ep.globalCatalog
}

// Scan streams every user, computer and group under the base DN to emit.
// The three searches run concurrently; emit is called under a lock, so from
// one goroutine at a time. The first failure stops the other searches. A
// cancelled ctx gives an error, never a silently partial scan.
func (l *LDAP) Scan(ctx context.Context, emit func(*Object) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if l.GlobalCatalog() {
		l.log.Warn().Msg("scanning a Global Catalog: for domains other than the DC's own it holds only the partial attribute set. " +
			"accountExpires is not in it by default (expired accounts of those domains are counted) and memberOf lists only " +
			"their universal groups (include_groups and external_groups may miss members). For exact numbers, add a [[directory]] per domain")
	}

	var emitMu sync.Mutex
	lockedEmit := func(o *Object) error {
		emitMu.Lock()
		defer emitMu.Unlock()
		return emit(o)
	}

	var (
		errMu    sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	for _, kind := range []Kind{KindUser, KindComputer, KindGroup} {
		wg.Go(func() {
			if err := l.scanKind(ctx, kind, lockedEmit); err != nil {
				errMu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				errMu.Unlock()
				cancel()
			}
		})
	}
	wg.Wait()
	return firstErr
}

func (l *LDAP) filterFor(kind Kind) string {
	switch kind {
	case KindUser:
		return l.opts.UserFilter
	case KindComputer:
		return l.opts.ComputerFilter
	}
	return l.opts.GroupFilter
}

// scanKind runs one kind's search on a connection of its own.
func (l *LDAP) scanKind(ctx context.Context, kind Kind, emit func(*Object) error) error {
	conn, err := l.open(ctx, kind.String()+"s")
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()

	baseDN, err := l.searchBase(conn)
	if err != nil {
		return err
	}

	s := &pagedSearch{
		conn:     conn,
		log:      l.log.With().Str("search", kind.String()+"s").Logger(),
		kind:     kind,
		domain:   l.opts.Name,
		pageSize: l.opts.PageSize,
		request: ldap.NewSearchRequest(baseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
			0, 0, false, l.filterFor(kind), attributesFor(kind), nil),
		emit: emit,
	}
	start := time.Now()
	err = s.run(ctx)
	var emitErr *emitError
	switch {
	case errors.As(err, &emitErr):
		return fmt.Errorf("directory %q: %w", l.opts.Name, emitErr.err)
	case err != nil:
		return l.fail("search", fmt.Errorf("%ss under %q with filter %s: %w", kind, baseDN, s.request.Filter, err))
	}
	s.log.Info().Int("objects", s.objects).Int("pages", s.pages).
		Stringer("took", time.Since(start).Round(time.Millisecond)).Msg("search finished")
	return nil
}

// searchBase is where the searches start: base_dn; without it the whole
// forest ("", the root) on a Global Catalog, or the DC's own domain
// (its defaultNamingContext) anywhere else.
func (l *LDAP) searchBase(conn *ldap.Conn) (string, error) {
	if l.opts.BaseDN != "" || l.GlobalCatalog() {
		return l.opts.BaseDN, nil
	}
	dse, err := readRootDSE(conn)
	if err != nil {
		return "", l.fail("search", fmt.Errorf("read RootDSE for the default base DN: %w", err))
	}
	if dse.defaultNamingContext == "" {
		return "", l.fail("search", errors.New("no base_dn set and the server has no defaultNamingContext"))
	}
	return dse.defaultNamingContext, nil
}

// open connects and binds one connection; purpose names it in the logs.
func (l *LDAP) open(ctx context.Context, purpose string) (*ldap.Conn, error) {
	log := l.log.With().Str("url", redactURL(l.opts.URL)).Str("connection", purpose).Logger()
	conn, err := connect(ctx, &l.opts)
	if err != nil {
		return nil, err
	}
	log.Debug().Bool("start_tls", l.opts.StartTLS).Msg("connected")
	if err := bind(conn, &l.opts); err != nil {
		_ = conn.Close()
		return nil, l.fail("bind", err)
	}
	log.Info().Bool("start_tls", l.opts.StartTLS).Str("bind", l.opts.Bind).Str("bind_dn", l.opts.BindDN).
		Msg("connected and bound")
	return conn, nil
}

func (l *LDAP) fail(op string, err error) error {
	return &DirectoryError{Directory: l.opts.Name, Op: op, Err: err}
}

// redactURL hides any user:password an admin may have put in the URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable url)"
	}
	return u.Redacted()
}

// emitError marks a failure of the caller's emit function, which is not a
// directory failure and is returned as is.
type emitError struct{ err error }

func (e *emitError) Error() string { return e.err.Error() }

// pagedSearch streams one search page by page (RFC 2696) so that only one
// page is ever in memory, emitting each entry as it arrives.
type pagedSearch struct {
	conn     *ldap.Conn
	log      zerolog.Logger
	kind     Kind
	domain   string
	pageSize int
	request  *ldap.SearchRequest
	emit     func(*Object) error

	obj     Object // reused for every entry; emit's Object lives only during the call
	objects int
	pages   int
}

// searchBuffer is how many results go-ldap may read ahead of the decoder.
const searchBuffer = 64

func (s *pagedSearch) run(ctx context.Context) error {
	paging := ldap.NewControlPaging(uint32(s.pageSize))
	s.request.Controls = []ldap.Control{paging}
	for {
		cookie, err := s.page(ctx)
		if err != nil {
			return err
		}
		if len(cookie) == 0 {
			return nil
		}
		paging.SetCookie(cookie)
	}
}

// page runs one page and returns the server's cookie for the next one
// (empty when this was the last).
func (s *pagedSearch) page(ctx context.Context) ([]byte, error) {
	pageCtx, cancel := context.WithCancel(ctx)
	defer cancel() // stops go-ldap's reader goroutine if we leave early
	start := time.Now()
	before := s.objects

	var cookie []byte
	resp := s.conn.SearchAsync(pageCtx, s.request, searchBuffer)
	for resp.Next() {
		switch {
		case resp.Entry() != nil:
			if err := s.handle(resp.Entry()); err != nil {
				return nil, err
			}
		case resp.Referral() != "":
			// A continuation reference: part of the tree is in another naming
			// context (AD's Configuration and DNS partitions, another domain).
			s.log.Debug().Str("referral", resp.Referral()).Msg("referral not followed")
		default:
			if c, ok := ldap.FindControl(resp.Controls(), ldap.ControlTypePaging).(*ldap.ControlPaging); ok {
				cookie = c.Cookie
			}
		}
	}
	// go-ldap ends a cancelled search quietly, as if it had finished.
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("interrupted after %d objects: %w", s.objects, context.Cause(ctx))
	}
	if err := resp.Err(); err != nil {
		if ldap.IsErrorWithCode(err, ldap.LDAPResultReferral) {
			return nil, fmt.Errorf("this server does not hold the base DN and refers elsewhere, which calscan does not follow "+
				"(point url at a domain controller of that domain, or at a Global Catalog, port 3268, for a forest-wide scan): %w", err)
		}
		return nil, fmt.Errorf("page %d: %w", s.pages+1, err)
	}
	s.pages++
	s.log.Debug().Int("page", s.pages).Int("objects", s.objects-before).
		Bool("more", len(cookie) > 0).Stringer("took", time.Since(start).Round(time.Millisecond)).Msg("page read")
	return cookie, nil
}

func (s *pagedSearch) handle(e *ldap.Entry) error {
	truncated := ""
	get := entryGetter(e, func(attr string) { truncated = attr })
	if err := decodeObject(&s.obj, s.kind, s.domain, e.DN, get); err != nil {
		s.log.Warn().Str("dn", e.DN).Err(err).Msg("some attributes could not be decoded; left empty")
	}
	if truncated != "" {
		s.log.Warn().Str("dn", e.DN).Str("attribute", truncated).
			Msg("the server returned only part of a large attribute (ranged retrieval); the rest is not read")
	}
	if err := s.emit(&s.obj); err != nil {
		return &emitError{err: err}
	}
	s.objects++
	return nil
}

// entryGetter reads an entry's attributes case-insensitively, ignoring
// attribute options: AD's ranged retrieval answers "memberOf;range=0-1499"
// for "memberOf". onPartial is told when a range does not reach the end ("*").
func entryGetter(e *ldap.Entry, onPartial func(attr string)) attrGetter {
	return func(name string) [][]byte {
		for _, a := range e.Attributes {
			base, options, _ := strings.Cut(a.Name, ";")
			if !strings.EqualFold(base, name) {
				continue
			}
			if partialRange(options) {
				onPartial(base)
			}
			return a.ByteValues
		}
		return nil
	}
}

// partialRange reports whether attribute options hold a "range=low-high"
// whose high end is not "*" (more values remain on the server).
func partialRange(options string) bool {
	for opt := range strings.SplitSeq(options, ";") {
		if rng, ok := strings.CutPrefix(strings.ToLower(opt), "range="); ok {
			_, high, _ := strings.Cut(rng, "-")
			return high != "*"
		}
	}
	return false
}
