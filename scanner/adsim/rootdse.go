package adsim

import "strings"

// Controls and capabilities a Windows Server 2016-level DC advertises (the
// subset clients look for).
var (
	supportedControls = []string{
		"1.2.840.113556.1.4.319", // paged results
		"1.2.840.113556.1.4.801", // SD flags
		"1.2.840.113556.1.4.473", // server-side sort
		"1.2.840.113556.1.4.528", // notification
		"1.2.840.113556.1.4.417", // show deleted
		"1.2.840.113556.1.4.529", // extended DN
		"1.2.840.113556.1.4.1339",
		"1.2.840.113556.1.4.1340",
		"1.2.840.113556.1.4.1413",
		"2.16.840.1.113730.3.4.9", // VLV
		"1.2.840.113556.1.4.1504",
		"1.2.840.113556.1.4.1852",
		"1.2.840.113556.1.4.2064",
	}
	supportedCapabilities = []string{
		"1.2.840.113556.1.4.800",  // Active Directory
		"1.2.840.113556.1.4.1670", // V51
		"1.2.840.113556.1.4.1791", // LDAP integration
		"1.2.840.113556.1.4.1935", // V60
		"1.2.840.113556.1.4.2080", // V61R2
		"1.2.840.113556.1.4.2237", // W8
	}
)

// rootDSE is the entry a DC answers for the empty base DN.
func rootDSE(d *Directory) *Entry {
	base := canonicalDN(d.BaseDN)
	dns := d.dnsDomain()
	config := "CN=Configuration," + base
	host := "dc01." + dns
	return &Entry{Attrs: map[string][]string{
		"objectClass":                   {"top"},
		"defaultNamingContext":          {base},
		"rootDomainNamingContext":       {base},
		"configurationNamingContext":    {config},
		"schemaNamingContext":           {"CN=Schema," + config},
		"namingContexts":                {base, config, "CN=Schema," + config, "DC=DomainDnsZones," + base, "DC=ForestDnsZones," + base},
		"dnsHostName":                   {host},
		"serverName":                    {"CN=DC01,CN=Servers,CN=Default-First-Site-Name,CN=Sites," + config},
		"dsServiceName":                 {"CN=NTDS Settings,CN=DC01,CN=Servers,CN=Default-First-Site-Name,CN=Sites," + config},
		"ldapServiceName":               {dns + ":dc01$@" + strings.ToUpper(dns)},
		"domainFunctionality":           {"7"},
		"forestFunctionality":           {"7"},
		"domainControllerFunctionality": {"7"},
		"supportedControl":              supportedControls,
		"supportedCapabilities":         supportedCapabilities,
		"supportedLDAPVersion":          {"3", "2"},
		"supportedSASLMechanisms":       {"GSSAPI", "GSS-SPNEGO", "EXTERNAL", "DIGEST-MD5"},
		"isGlobalCatalogReady":          {"TRUE"},
		"isSynchronized":                {"TRUE"},
	}}
}
