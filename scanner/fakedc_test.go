package scanner_test

// fakeDC is a small LDAP server written directly in BER, for what gldap
// cannot serve: Microsoft's NTLM ("Sicily") bind and search continuation
// references. It answers one request at a time per connection.

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
	"golang.org/x/crypto/md4" //nolint:staticcheck // NTLM is built on MD4
)

// LDAP protocol operations and bind choices (RFC 4511, MS-ADTS 5.1.1.1.3).
const (
	opBindRequest       = 0
	opBindResponse      = 1
	opUnbindRequest     = 2
	opSearchRequest     = 3
	opSearchEntry       = 4
	opSearchDone        = 5
	opSearchReference   = 19
	authSimple          = 0
	authSicilyNegotiate = 10
	authSicilyResponse  = 11
)

// fakeAccount is who may bind: by simple bind as DN, or by NTLM as
// Domain\User or UPN, with Password.
type fakeAccount struct {
	DN, Domain, User, UPN, Password string
}

// fakeResult is what a search returns.
type fakeResult struct {
	entries    []*ldap.Entry
	references []string // continuation references, sent after the entries
	code       uint16   // the SearchResultDone code (0: success)
	diagnostic string
}

type fakeDC struct {
	t       *testing.T
	account fakeAccount
	search  func(baseDN, filter string) fakeResult
	ln      net.Listener
	wg      sync.WaitGroup

	mu    sync.Mutex
	binds []string // how each bind authenticated: "simple", "ntlm", "ntlm-failed"
}

func startFakeDC(t *testing.T, account fakeAccount, search func(baseDN, filter string) fakeResult) *fakeDC {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dc := &fakeDC{t: t, account: account, search: search, ln: ln}
	dc.wg.Add(1)
	go dc.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		dc.wg.Wait()
	})
	return dc
}

func (dc *fakeDC) url() string { return "ldap://" + dc.ln.Addr().String() }

func (dc *fakeDC) bindLog() []string {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	return append([]string(nil), dc.binds...)
}

func (dc *fakeDC) accept() {
	defer dc.wg.Done()
	for {
		conn, err := dc.ln.Accept()
		if err != nil {
			return
		}
		dc.wg.Add(1)
		go func() {
			defer dc.wg.Done()
			defer conn.Close()
			dc.serve(conn)
		}()
	}
}

// serve answers requests until the client unbinds or hangs up. The NTLM
// server challenge lives as long as the connection, as on a real DC.
func (dc *fakeDC) serve(conn net.Conn) {
	var challenge []byte
	for {
		req, err := ber.ReadPacket(conn)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				dc.t.Logf("fake DC: read: %v", err)
			}
			return
		}
		if len(req.Children) < 2 {
			return
		}
		id, _ := req.Children[0].Value.(int64)
		op := req.Children[1]
		var replies []*ber.Packet
		switch op.Tag {
		case opBindRequest:
			replies = []*ber.Packet{dc.bind(op, &challenge)}
		case opSearchRequest:
			replies = dc.searchReplies(op)
		case opUnbindRequest:
			return
		default:
			continue // abandon and the like need no answer
		}
		for _, r := range replies {
			if _, err := conn.Write(envelope(id, r).Bytes()); err != nil {
				return
			}
		}
	}
}

func (dc *fakeDC) record(how string) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	dc.binds = append(dc.binds, how)
}

func (dc *fakeDC) bind(op *ber.Packet, challenge *[]byte) *ber.Packet {
	if len(op.Children) < 3 {
		return result(opBindResponse, ldap.LDAPResultProtocolError, "", "malformed bind")
	}
	auth := op.Children[2]
	switch auth.Tag {
	case authSimple:
		name, _ := op.Children[1].Value.(string)
		if name == dc.account.DN && auth.Data.String() == dc.account.Password {
			dc.record("simple")
			return result(opBindResponse, ldap.LDAPResultSuccess, "", "")
		}
		return result(opBindResponse, ldap.LDAPResultInvalidCredentials, "", adDiagnostic("52e"))
	case authSicilyNegotiate:
		if !bytes.HasPrefix(auth.Data.Bytes(), []byte("NTLMSSP\x00\x01\x00\x00\x00")) {
			return result(opBindResponse, ldap.LDAPResultProtocolError, "", "not an NTLM negotiate message")
		}
		*challenge = make([]byte, 8)
		_, _ = rand.Read(*challenge)
		// The challenge travels in the matchedDN field of the response.
		return result(opBindResponse, ldap.LDAPResultSuccess, string(challengeMessage(*challenge, dc.account.Domain)), "")
	case authSicilyResponse:
		if *challenge == nil {
			return result(opBindResponse, ldap.LDAPResultProtocolError, "", "NTLM response without a negotiate")
		}
		if err := dc.account.verifyNTLM(auth.Data.Bytes(), *challenge); err != nil {
			dc.t.Logf("fake DC: NTLM response refused: %v", err)
			dc.record("ntlm-failed")
			return result(opBindResponse, ldap.LDAPResultInvalidCredentials, "", adDiagnostic("52e"))
		}
		dc.record("ntlm")
		return result(opBindResponse, ldap.LDAPResultSuccess, "", "")
	}
	return result(opBindResponse, ldap.LDAPResultAuthMethodNotSupported, "", "unsupported bind method")
}

func adDiagnostic(code string) string {
	return "80090308: LdapErr: DSID-0C090439, comment: AcceptSecurityContext error, data " + code + ", v4563"
}

func (dc *fakeDC) searchReplies(op *ber.Packet) []*ber.Packet {
	if len(op.Children) < 7 {
		return []*ber.Packet{result(opSearchDone, ldap.LDAPResultProtocolError, "", "malformed search")}
	}
	baseDN, _ := op.Children[0].Value.(string)
	filter, err := ldap.DecompileFilter(op.Children[6])
	if err != nil {
		return []*ber.Packet{result(opSearchDone, ldap.LDAPResultProtocolError, "", err.Error())}
	}
	res := dc.search(baseDN, filter)
	var out []*ber.Packet
	for _, e := range res.entries {
		out = append(out, searchEntry(e))
	}
	for _, ref := range res.references {
		r := ber.Encode(ber.ClassApplication, ber.TypeConstructed, opSearchReference, nil, "Search Result Reference")
		r.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, ref, "URI"))
		out = append(out, r)
	}
	return append(out, result(opSearchDone, res.code, "", res.diagnostic))
}

func envelope(id int64, op *ber.Packet) *ber.Packet {
	p := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "LDAP Message")
	p.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, "Message ID"))
	p.AppendChild(op)
	return p
}

func result(op ber.Tag, code uint16, matchedDN, diagnostic string) *ber.Packet {
	p := ber.Encode(ber.ClassApplication, ber.TypeConstructed, op, nil, "Result")
	p.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, int64(code), "Result Code"))
	p.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, matchedDN, "Matched DN"))
	p.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, diagnostic, "Diagnostic Message"))
	return p
}

func searchEntry(e *ldap.Entry) *ber.Packet {
	p := ber.Encode(ber.ClassApplication, ber.TypeConstructed, opSearchEntry, nil, "Search Result Entry")
	p.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, e.DN, "Object Name"))
	attrs := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "Attributes")
	for _, a := range e.Attributes {
		attr := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "Attribute")
		attr.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, a.Name, "Type"))
		values := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSet, nil, "Values")
		for _, v := range a.Values {
			values.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, v, "Value"))
		}
		attr.AppendChild(values)
		attrs.AppendChild(attr)
	}
	p.AppendChild(attrs)
	return p
}

// NTLM negotiate flags the fake offers (MS-NLMP 2.2.2.5): Unicode, NTLM,
// extended session security and target info, so the client answers NTLMv2.
const fakeNTLMFlags = 0x00000001 | 0x00000004 | 0x00000200 | 0x00010000 | 0x00080000 | 0x00800000

// challengeMessage is an NTLM CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2) for domain.
func challengeMessage(serverChallenge []byte, domain string) []byte {
	name := utf16le(domain)
	info := binary.LittleEndian.AppendUint16(nil, 2) // MsvAvNbDomainName
	info = binary.LittleEndian.AppendUint16(info, uint16(len(name)))
	info = append(info, name...)
	info = append(info, 0, 0, 0, 0) // MsvAvEOL

	const header = 48
	m := []byte("NTLMSSP\x00")
	m = binary.LittleEndian.AppendUint32(m, 2)
	m = appendVarField(m, len(name), header)
	m = binary.LittleEndian.AppendUint32(m, fakeNTLMFlags)
	m = append(m, serverChallenge...)
	m = append(m, make([]byte, 8)...) // reserved
	m = appendVarField(m, len(info), header+len(name))
	m = append(m, name...)
	return append(m, info...)
}

func appendVarField(b []byte, length, offset int) []byte {
	b = binary.LittleEndian.AppendUint16(b, uint16(length))
	b = binary.LittleEndian.AppendUint16(b, uint16(length))
	return binary.LittleEndian.AppendUint32(b, uint32(offset))
}

// verifyNTLM checks an AUTHENTICATE_MESSAGE's NTLMv2 response (MS-NLMP
// 3.3.2) against the account's password.
func (a fakeAccount) verifyNTLM(msg, serverChallenge []byte) error {
	if len(msg) < 64 || !bytes.HasPrefix(msg, []byte("NTLMSSP\x00\x03\x00\x00\x00")) {
		return errors.New("not an NTLM authenticate message")
	}
	field := func(at int) ([]byte, error) {
		n := int(binary.LittleEndian.Uint16(msg[at:]))
		off := int(binary.LittleEndian.Uint32(msg[at+4:]))
		if off+n > len(msg) {
			return nil, errors.New("field beyond the message")
		}
		return msg[off : off+n], nil
	}
	ntResponse, err := field(20)
	if err != nil {
		return err
	}
	domainRaw, err := field(28)
	if err != nil {
		return err
	}
	userRaw, err := field(36)
	if err != nil {
		return err
	}
	domain, user := fromUTF16LE(domainRaw), fromUTF16LE(userRaw)
	known := (strings.EqualFold(domain, a.Domain) && strings.EqualFold(user, a.User)) ||
		(domain == "" && strings.EqualFold(user, a.UPN))
	if !known {
		return errors.New("unknown account " + domain + `\` + user)
	}
	if len(ntResponse) < 16 {
		return errors.New("no NTLMv2 response")
	}
	ntHash := md4.New()
	ntHash.Write(utf16le(a.Password))
	v2Hash := hmacMD5(ntHash.Sum(nil), utf16le(strings.ToUpper(user)+domain))
	if !hmac.Equal(ntResponse[:16], hmacMD5(v2Hash, serverChallenge, ntResponse[16:])) {
		return errors.New("wrong password")
	}
	return nil
}

func hmacMD5(key []byte, data ...[]byte) []byte {
	mac := hmac.New(md5.New, key)
	for _, d := range data {
		mac.Write(d)
	}
	return mac.Sum(nil)
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func fromUTF16LE(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}
