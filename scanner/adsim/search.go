package adsim

import (
	"fmt"

	"github.com/jimlambrt/gldap"
)

// AD's texts for failed searches.
const (
	textBindRequired = "000004DC: LdapErr: DSID-0C090A5C, comment: In order to perform this operation a successful bind must be completed on the connection., data 0, v4563"
	textControlError = "00000057: LdapErr: DSID-0C09079A, comment: Error processing control, data 0, v4563"
	textFilterError  = "00000057: LdapErr: DSID-0C0C0B8D, comment: Error processing filter, data 0, v4563"
)

func noSuchObject(bestMatch string) string {
	return fmt.Sprintf("0000208D: NameErr: DSID-0310028B, problem 2001 (NO_OBJECT), data 0, best match of:\n\t'%s'\n", bestMatch)
}

// outcome is how a search ends: the SearchResultDone's code, text and the
// paged results control to return (nil when the search was not paged).
type outcome struct {
	code   int
	text   string
	paging *gldap.ControlPaging
}

// sendFunc writes one entry to the client; an error ends the search.
type sendFunc func(e *Entry) error

func (s *Server) handleSearch(w *gldap.ResponseWriter, r *gldap.Request) {
	done := r.NewSearchDoneResponse(gldap.WithResponseCode(gldap.ResultSuccess))
	defer func() {
		if v := recover(); v != nil {
			done.SetResultCode(gldap.ResultOther)
			done.SetDiagnosticMessage(fmt.Sprintf("internal error: %v", v))
			_ = w.Write(done)
		}
	}()
	m, err := r.GetSearchMessage()
	if err != nil {
		done.SetResultCode(gldap.ResultProtocolError)
		_ = w.Write(done)
		return
	}
	sel := s.ix.selection(m.Attributes)
	send := func(e *Entry) error {
		return w.Write(entryResponse(r, e, sel, m.TypesOnly))
	}
	out, err := s.search(m, s.sessions.get(r.ConnectionID()).bound, send)
	if err != nil {
		return // the client is gone
	}
	done.SetResultCode(out.code)
	done.SetDiagnosticMessage(out.text)
	if out.paging != nil {
		done.SetControls(out.paging)
	}
	_ = w.Write(done)
}

// search runs one search request. The error is a failure to send, after
// which nothing more can be written.
func (s *Server) search(m *gldap.SearchMessage, bound bool, send sendFunc) (outcome, error) {
	if m.BaseDN == "" && m.Scope == gldap.BaseObject {
		// AD serves the RootDSE before any bind
		return s.searchRootDSE(m, send)
	}
	if !bound {
		return outcome{code: gldap.ResultOperationsError, text: textBindRequired}, nil
	}
	if oid := criticalUnsupported(m); oid != "" {
		return outcome{code: gldap.ResultUnavailableCriticalExtension, text: textControlError}, nil
	}
	base := canonicalDN(m.BaseDN)
	baseIdx, _ := s.ix.lookup(nil, base)
	if baseIdx < 0 {
		return outcome{code: gldap.ResultNoSuchObject, text: noSuchObject(s.ix.bestMatch(base))}, nil
	}
	filter, err := compileFilter(s.ix, m.Filter)
	if err != nil {
		return outcome{code: gldap.ResultProtocolError, text: textFilterError}, nil
	}
	q := &scan{ix: s.ix, scope: m.Scope, base: base, baseIdx: baseIdx, filter: filter}
	if pc := pagingControl(m); pc != nil {
		return s.searchPage(q, m, pc, send)
	}
	return s.searchUnpaged(q, m, send)
}

// searchUnpaged sends every match, or stops at the size limit (the server's
// UnpagedLimit or the client's, the smaller) with sizeLimitExceeded as AD does.
func (s *Server) searchUnpaged(q *scan, m *gldap.SearchMessage, send sendFunc) (outcome, error) {
	limit := s.opts.UnpagedLimit
	if m.SizeLimit > 0 && (limit == 0 || int(m.SizeLimit) < limit) {
		limit = int(m.SizeLimit)
	}
	next, err := q.run(0, limit, send)
	switch {
	case err != nil:
		return outcome{}, err
	case next >= 0:
		return outcome{code: gldap.ResultSizeLimitExceeded}, nil
	}
	return outcome{code: gldap.ResultSuccess}, nil
}

// searchPage sends one page of a paged search and the cookie for the next
// (empty on the last page).
func (s *Server) searchPage(q *scan, m *gldap.SearchMessage, pc *gldap.ControlPaging, send sendFunc) (outcome, error) {
	hash := queryHash(s.seed, m)
	start := 0
	if len(pc.Cookie) > 0 {
		c, err := decodeCookie(pc.Cookie, hash, len(s.ix.entries))
		if err != nil {
			return outcome{code: gldap.ResultUnavailableCriticalExtension, text: textControlError}, nil
		}
		if pc.PagingSize == 0 {
			// a zero size with a cookie abandons the paged search (RFC 2696)
			return pagedOutcome(nil), nil
		}
		start = c.next
	}
	size := int(pc.PagingSize)
	if size <= 0 || size > s.opts.MaxPageSize {
		size = s.opts.MaxPageSize
	}
	next, err := q.run(start, size, send)
	switch {
	case err != nil:
		return outcome{}, err
	case next < 0:
		return pagedOutcome(nil), nil
	}
	return pagedOutcome(pageCookie{query: hash, next: next}.encode()), nil
}

func pagedOutcome(cookie []byte) outcome {
	pc, _ := gldap.NewControlPaging(0)
	pc.SetCookie(cookie)
	return outcome{code: gldap.ResultSuccess, paging: pc}
}

func (s *Server) searchRootDSE(m *gldap.SearchMessage, send sendFunc) (outcome, error) {
	filter, err := compileFilter(s.ix, m.Filter)
	if err != nil {
		return outcome{code: gldap.ResultProtocolError, text: textFilterError}, nil
	}
	if filter.match(s.ix.rootDSE) {
		if err := send(s.ix.rootDSE); err != nil {
			return outcome{}, err
		}
	}
	return outcome{code: gldap.ResultSuccess}, nil
}
