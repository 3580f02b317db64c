package scanner

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/go-ldap/ldap/v3"
)

// pagedResultsOID is the Simple Paged Results control (RFC 2696).
const pagedResultsOID = "1.2.840.113556.1.4.319"

// CheckInfo is what `calscan check` reports about a live directory.
type CheckInfo struct {
	URL                  string
	Bind                 string // the bind method used
	BindDN               string // empty for an anonymous bind
	ServerName           string // RootDSE serverName: the DN of the DC's server object
	DNSHostName          string // RootDSE dnsHostName
	DefaultNamingContext string
	DomainFunctionality  string // RootDSE domainFunctionality, e.g. "7"; see DomainLevel
	PagingSupported      bool   // the server lists the paged results control
	GlobalCatalog        bool   // the URL is a Global Catalog port: the scan covers the forest
	BaseDN               string // the base a scan would search (base_dn, "" for a forest, or defaultNamingContext)
	BaseDNExists         bool
}

// DomainLevel names the domain functional level, e.g. "Windows Server 2016",
// or returns the raw value when it is not a known one.
func (c *CheckInfo) DomainLevel() string {
	levels := map[string]string{
		"0": "Windows 2000", "1": "Windows Server 2003 interim", "2": "Windows Server 2003",
		"3": "Windows Server 2008", "4": "Windows Server 2008 R2", "5": "Windows Server 2012",
		"6": "Windows Server 2012 R2", "7": "Windows Server 2016", "10": "Windows Server 2025",
	}
	if name, ok := levels[c.DomainFunctionality]; ok {
		return name
	}
	return c.DomainFunctionality
}

// Check connects and binds as a scan would, then reads the RootDSE and
// looks for the base DN. Failures are *DirectoryError.
func (l *LDAP) Check(ctx context.Context) (*CheckInfo, error) {
	conn, err := l.open(ctx, "check")
	if err != nil {
		return nil, err
	}
	defer func() { _ = conn.Close() }()

	dse, err := readRootDSE(conn)
	if err != nil {
		return nil, l.fail("search", fmt.Errorf("read RootDSE: %w", err))
	}
	info := &CheckInfo{
		URL:                  redactURL(l.opts.URL),
		Bind:                 l.opts.Bind,
		ServerName:           dse.serverName,
		DNSHostName:          dse.dnsHostName,
		DefaultNamingContext: dse.defaultNamingContext,
		DomainFunctionality:  dse.domainFunctionality,
		PagingSupported:      slices.Contains(dse.supportedControls, pagedResultsOID),
		GlobalCatalog:        l.GlobalCatalog(),
	}
	if l.opts.Bind != BindAnonymous {
		info.BindDN = l.opts.BindDN
	}
	if info.BaseDN, err = l.searchBase(conn); err != nil {
		return nil, err
	}
	if info.BaseDNExists, err = entryExists(conn, info.BaseDN); err != nil {
		return nil, l.fail("search", fmt.Errorf("look up base DN %q: %w", info.BaseDN, err))
	}
	return info, nil
}

type rootDSE struct {
	serverName           string
	dnsHostName          string
	defaultNamingContext string
	domainFunctionality  string
	supportedControls    []string
}

func readRootDSE(conn *ldap.Conn) (*rootDSE, error) {
	req := ldap.NewSearchRequest("", ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)",
		[]string{"serverName", "dnsHostName", "defaultNamingContext", "domainFunctionality", "supportedControl"}, nil)
	res, err := conn.Search(req)
	if err != nil {
		return nil, err
	}
	if len(res.Entries) == 0 {
		return nil, errors.New("the server returned no RootDSE")
	}
	e := res.Entries[0]
	return &rootDSE{
		serverName:           e.GetEqualFoldAttributeValue("serverName"),
		dnsHostName:          e.GetEqualFoldAttributeValue("dnsHostName"),
		defaultNamingContext: e.GetEqualFoldAttributeValue("defaultNamingContext"),
		domainFunctionality:  e.GetEqualFoldAttributeValue("domainFunctionality"),
		supportedControls:    e.GetEqualFoldAttributeValues("supportedControl"),
	}, nil
}

// entryExists reads dn itself; "no such object" (or a referral away from
// this server) means it is not there.
func entryExists(conn *ldap.Conn, dn string) (bool, error) {
	req := ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", []string{"1.1"}, nil)
	res, err := conn.Search(req)
	if ldap.IsErrorAnyOf(err, ldap.LDAPResultNoSuchObject, ldap.LDAPResultReferral) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return len(res.Entries) > 0, nil
}
