// Package adsim is an in-process directory that looks like Active Directory
// over LDAP, and a deterministic synthetic company to put in it.
//
// `calscan demo` serves Company on 127.0.0.1 and scans it over real LDAP, and
// the scanner's tests use the same server to exercise binds, paging, TLS and
// AD's error codes without a domain controller. The server is read-only:
// simple bind, StartTLS, LDAPS and search with the paged results control,
// AD's matching rules (bitwise and in-chain) and AD's error texts.
package adsim
