package rules

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// editions are the values ParseEdition accepts, in the order errors list them.
var editions = []Edition{
	EditionStandard, EditionDatacenter, EditionEnterprise, EditionEssentials, EditionFoundation,
	EditionStorage, EditionWeb, EditionHyperV, EditionNone,
}

// ParseEdition reads a [[server]] or [[core_licenses]] edition, case-insensitively.
func ParseEdition(s string) (Edition, error) {
	norm := Edition(strings.ToLower(strings.TrimSpace(s)))
	for _, e := range editions {
		if e == norm {
			return e, nil
		}
	}
	return "", fmt.Errorf("edition %q: use one of %s", s, joinEditions())
}

func joinEditions() string {
	names := make([]string, len(editions))
	for i, e := range editions {
		names[i] = string(e)
	}
	return strings.Join(names, ", ")
}

// ParseCALType reads a [[cal]] type, case-insensitively.
func ParseCALType(s string) (CALType, error) {
	switch t := CALType(strings.ToLower(strings.TrimSpace(s))); t {
	case CALUser, CALDevice, CALRDSUser, CALRDSDevice:
		return t, nil
	}
	return "", fmt.Errorf("CAL type %q: use user, device, rds-user or rds-device", s)
}

// ParseCALVersion reads a [[cal]] version: a version sold (V3) or "sa" for a
// CAL Suite with Software Assurance (V5).
func ParseCALVersion(s string) (string, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if v == VersionSA {
		return VersionSA, nil
	}
	for _, sold := range soldCALVersions {
		if v == sold {
			return v, nil
		}
	}
	if r, err := ParseRelease(s); err == nil && strings.HasSuffix(r, " R2") {
		base := CALVersionOf(r)
		return "", fmt.Errorf("CAL version %q: R2 releases have no CALs of their own (V2); %s servers use %s CALs, so write %q", s, r, base, base)
	}
	return "", fmt.Errorf("CAL version %q: use one of %s or sa (CAL Suite with Software Assurance)", s, strings.Join(soldCALVersions, ", "))
}

// ParseRelease reads a server release such as "2022" or "2012 R2"
// (case-insensitive; "2012r2" is accepted).
func ParseRelease(s string) (string, error) {
	v := strings.ToUpper(strings.Join(strings.Fields(s), " "))
	if base, ok := strings.CutSuffix(v, "R2"); ok {
		v = strings.TrimSpace(base) + " R2"
	}
	if knownRelease(v) {
		return v, nil
	}
	return "", fmt.Errorf("server version %q: use one of %s", s, strings.Join(releases[slices.Index(releases, "2008"):], ", "))
}

// ValidateAccountPattern checks an exclude_accounts glob (path.Match syntax).
func ValidateAccountPattern(pattern string) error {
	if _, err := path.Match(strings.ToLower(pattern), ""); err != nil {
		return fmt.Errorf("account pattern %q: %w", pattern, err)
	}
	return nil
}
