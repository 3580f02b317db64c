package adsim

import (
	"crypto/subtle"
	"fmt"
	"strings"

	"github.com/jimlambrt/gldap"
)

// dataLogonFailure is AD's data code for an unknown user or a bad password
// (ERROR_LOGON_FAILURE).
const dataLogonFailure = "52e"

// invalidCredentials is AD's text for result 49 with a data code such as
// 52e (bad password), 775 (locked out) or 532 (password expired).
func invalidCredentials(data string) string {
	return fmt.Sprintf("80090308: LdapErr: DSID-0C090439, comment: AcceptSecurityContext error, data %s, v4563", data)
}

// credentials decides simple binds.
type credentials struct {
	names          []string // accepted bind names: the DN (canonical) and the UPN
	password       string
	allowAnonymous bool
	accountErrors  map[string]string // folded bind name → AD data code
}

func newCredentials(o Options) credentials {
	c := credentials{password: o.Password, allowAnonymous: o.AllowAnonymous, accountErrors: map[string]string{}}
	for _, n := range []string{canonicalDN(o.BindDN), o.UPN} {
		if n != "" {
			c.names = append(c.names, n)
		}
	}
	for name, code := range o.AccountErrors {
		c.accountErrors[strings.ToLower(canonicalDN(name))] = code
	}
	return c
}

// check returns the LDAP result code and diagnostic text for a simple bind.
// A name without a password is an unauthenticated bind, which AD treats as
// anonymous.
func (c credentials) check(name, password string) (int, string) {
	name = canonicalDN(name)
	if code, ok := c.accountErrors[strings.ToLower(name)]; ok && name != "" {
		return gldap.ResultInvalidCredentials, invalidCredentials(code)
	}
	switch {
	case name == "" && password != "":
		return gldap.ResultInvalidCredentials, invalidCredentials(dataLogonFailure)
	case name == "" || password == "":
		if c.allowAnonymous {
			return gldap.ResultSuccess, ""
		}
		return gldap.ResultInvalidCredentials, invalidCredentials(dataLogonFailure)
	}
	for _, n := range c.names {
		if strings.EqualFold(n, name) && subtle.ConstantTimeCompare([]byte(password), []byte(c.password)) == 1 {
			return gldap.ResultSuccess, ""
		}
	}
	return gldap.ResultInvalidCredentials, invalidCredentials(dataLogonFailure)
}

func (s *Server) handleBind(w *gldap.ResponseWriter, r *gldap.Request) {
	resp := r.NewBindResponse(gldap.WithResponseCode(gldap.ResultOther))
	defer func() {
		if v := recover(); v != nil {
			resp.SetResultCode(gldap.ResultOther)
			resp.SetDiagnosticMessage(fmt.Sprintf("internal error: %v", v))
			_ = w.Write(resp)
		}
	}()
	m, err := r.GetSimpleBindMessage()
	if err != nil {
		resp.SetResultCode(gldap.ResultAuthMethodNotSupported)
		_ = w.Write(resp)
		return
	}
	code, text := s.creds.check(m.UserName, string(m.Password))
	// a failed bind leaves the connection unauthenticated, as in AD
	s.sessions.update(r.ConnectionID(), func(st *session) { st.bound = code == gldap.ResultSuccess })
	resp.SetResultCode(code)
	resp.SetDiagnosticMessage(text)
	_ = w.Write(resp)
}
