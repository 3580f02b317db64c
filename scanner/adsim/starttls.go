package adsim

import "github.com/jimlambrt/gldap"

// AD's answer to StartTLS when it has no certificate to offer.
const textTLSFailed = "00000000: LdapErr: DSID-0C091202, comment: Error initializing SSL/TLS, data 0, v4563"

// handleStartTLS upgrades a plain connection when a TLS config is set. It is
// refused under LDAPS and on a connection already upgraded.
func (s *Server) handleStartTLS(w *gldap.ResponseWriter, r *gldap.Request) {
	st := s.sessions.get(r.ConnectionID())
	if s.opts.TLSConfig == nil || s.opts.LDAPS || st.tls {
		resp := r.NewExtendedResponse(gldap.WithResponseCode(gldap.ResultUnavailable))
		resp.SetDiagnosticMessage(textTLSFailed)
		_ = w.Write(resp)
		return
	}
	resp := r.NewExtendedResponse(gldap.WithResponseCode(gldap.ResultSuccess))
	resp.SetResponseName(gldap.ExtendedOperationStartTLS)
	if err := w.Write(resp); err != nil {
		return
	}
	if err := r.StartTLS(s.opts.TLSConfig); err != nil {
		return // the client sees the failed handshake
	}
	s.sessions.update(r.ConnectionID(), func(st *session) { st.tls = true })
}
