package scanner

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Attributes read for users and computers: only what the rules and reports
// use (each search already says which kind it reads, so not objectClass).
var commonAttributes = []string{
	"objectSid", "sAMAccountName", "userPrincipalName", "displayName",
	"distinguishedName", "userAccountControl", "primaryGroupID",
	"lastLogonTimestamp", "accountExpires", "whenCreated", "memberOf",
}

// attributesFor lists the attributes to request for one kind of object.
func attributesFor(kind Kind) []string {
	switch kind {
	case KindComputer:
		return append(commonAttributes[:len(commonAttributes):len(commonAttributes)],
			"dNSHostName", "operatingSystem", "operatingSystemVersion")
	case KindUser:
		return append(commonAttributes[:len(commonAttributes):len(commonAttributes)],
			"msTSLicenseVersion", "msTSExpireDate", "msTSManagingLS")
	case KindGroup:
		return []string{"objectSid", "sAMAccountName", "distinguishedName", "memberOf"}
	}
	return nil
}

// attrGetter returns the raw values of one attribute, matched
// case-insensitively; nil when the object does not have it.
type attrGetter func(attr string) [][]byte

// decodeObject fills o from an object's attributes. o is reset first; its
// slices are freshly allocated, so a copy of o stays valid after o is reused.
// Values that do not decode are left zero and reported together in the
// error; everything else is still filled, so the caller may log and go on.
func decodeObject(o *Object, kind Kind, domain, dn string, get attrGetter) error {
	*o = Object{Kind: kind, Domain: domain, DN: dn}
	str := func(attr string) string {
		if v := get(attr); len(v) > 0 {
			return string(v[0])
		}
		return ""
	}
	if o.DN == "" {
		o.DN = str("distinguishedName")
	}

	var errs []error
	bad := func(attr string, err error) { errs = append(errs, fmt.Errorf("%s: %w", attr, err)) }

	if v := get("objectSid"); len(v) > 0 {
		if sid, err := decodeSIDValue(v[0]); err != nil {
			bad("objectSid", err)
		} else {
			o.SID = sid
		}
	}
	o.SAMAccountName = str("sAMAccountName")
	o.MemberOf = strs(get("memberOf"))
	if kind == KindGroup {
		return errors.Join(errs...)
	}

	o.UserPrincipalName = str("userPrincipalName")
	o.DisplayName = str("displayName")
	if s := str("userAccountControl"); s != "" {
		uac, err := DecodeUAC(s)
		if err != nil {
			bad("userAccountControl", err)
		}
		o.UserAccountControl = uac
	}
	if s := str("primaryGroupID"); s != "" {
		rid, err := decodeInt32Bits(s)
		if err != nil {
			bad("primaryGroupID", fmt.Errorf("%q: %w", s, err))
		}
		o.PrimaryGroupID = rid
	}
	decodeTime(&o.LastLogon, str("lastLogonTimestamp"), DecodeFileTime, "lastLogonTimestamp", bad)
	decodeTime(&o.AccountExpires, str("accountExpires"), DecodeFileTime, "accountExpires", bad)
	decodeTime(&o.WhenCreated, str("whenCreated"), DecodeGeneralizedTime, "whenCreated", bad)

	switch kind {
	case KindComputer:
		o.DNSHostName = str("dNSHostName")
		o.OperatingSystem = str("operatingSystem")
		o.OperatingSystemVersion = str("operatingSystemVersion")
	case KindUser:
		o.TSLicenseVersion = str("msTSLicenseVersion")
		o.TSManagingLS = str("msTSManagingLS")
		decodeTime(&o.TSExpireDate, str("msTSExpireDate"), DecodeGeneralizedTime, "msTSExpireDate", bad)
	}
	return errors.Join(errs...)
}

func decodeTime(dst *time.Time, s string, decode func(string) (time.Time, error), attr string, bad func(string, error)) {
	if s == "" {
		return
	}
	t, err := decode(s)
	if err != nil {
		bad(attr, err)
		return
	}
	*dst = t
}

// decodeSIDValue accepts a binary objectSid, or the S-1-… text form that
// some exports write instead.
func decodeSIDValue(b []byte) (string, error) {
	if len(b) > 4 && string(b[:4]) == "S-1-" {
		return string(b), nil
	}
	sid, err := DecodeSID(b)
	if err != nil {
		return "", fmt.Errorf("%w (value %s)", err, hex.EncodeToString(b))
	}
	return sid, nil
}

func strs(values [][]byte) []string {
	if len(values) == 0 {
		return nil
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// kindOf says what an object is from its objectClass values and, when the
// directory gave it, its objectCategory (a DN such as
// "CN=Person,CN=Schema,CN=Configuration,DC=…" or a bare name). Computers also
// carry objectClass "user", so they are tested first. Objects that are none
// of the three kinds (contacts, managed service accounts, OUs) give 0.
func kindOf(objectClass []string, objectCategory string) Kind {
	has := func(class string) bool {
		for _, c := range objectClass {
			if strings.EqualFold(c, class) {
				return true
			}
		}
		return false
	}
	if objectCategory != "" {
		switch strings.ToLower(categoryName(objectCategory)) {
		case "person":
			if has("user") {
				return KindUser
			}
			return 0
		case "computer":
			return KindComputer
		case "group":
			return KindGroup
		}
		return 0
	}
	switch {
	case has("computer"):
		return KindComputer
	case has("user"):
		return KindUser
	case has("group"):
		return KindGroup
	}
	return 0
}

// categoryName is the first RDN value of an objectCategory DN ("Person"
// from "CN=Person,CN=Schema,…"), or the value itself when it is not a DN.
func categoryName(category string) string {
	first, _, _ := strings.Cut(category, ",")
	if _, value, ok := strings.Cut(first, "="); ok {
		return strings.TrimSpace(value)
	}
	return strings.TrimSpace(first)
}
