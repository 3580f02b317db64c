package rules

import "strings"

// VersionSA is the CAL version of a CAL Suite with active Software Assurance
// (V5): it covers the current release, so it ranks above every version.
const VersionSA = "sa"

// releases are the Windows Server releases calscan knows, oldest first.
// 2000 and 2003 still turn up in old directories; no CALs of theirs are sold.
var releases = []string{"2000", "2003", "2003 R2", "2008", "2008 R2", "2012", "2012 R2", "2016", "2019", "2022", "2025"}

// calVersionOrder ranks CAL versions, oldest first (V1: newer covers older).
var calVersionOrder = []string{"2000", "2003", "2008", "2012", "2016", "2019", "2022", "2025", VersionSA}

// soldCALVersions are the versions that can be bought (V3).
var soldCALVersions = []string{"2008", "2012", "2016", "2019", "2022", "2025"}

// CALVersionOf is the CAL version a server release requires. R2 releases have
// no CALs of their own (V2): "2012 R2" -> "2012". Unknown releases give "".
func CALVersionOf(release string) string {
	if !knownRelease(release) {
		return ""
	}
	return strings.TrimSuffix(release, " R2")
}

func knownRelease(release string) bool {
	for _, r := range releases {
		if r == release {
			return true
		}
	}
	return false
}

// calRank orders CAL versions; -1 for a version calscan does not know, which
// covers nothing.
func calRank(version string) int {
	for i, v := range calVersionOrder {
		if v == version {
			return i
		}
	}
	return -1
}

// covers reports whether a CAL of version owned covers a server that
// requires version required (V1, V5).
func covers(owned, required string) bool {
	o, r := calRank(owned), calRank(required)
	return o >= 0 && r >= 0 && o >= r
}

// buyableVersion is the CAL version to buy to cover required: itself when it
// is sold, else the oldest sold version that covers it.
func buyableVersion(required string) string {
	for _, v := range soldCALVersions {
		if covers(v, required) {
			return v
		}
	}
	return soldCALVersions[len(soldCALVersions)-1]
}

// releaseName is how a release reads in a message: "Windows Server 2012 R2".
func releaseName(release string) string {
	if release == "" {
		return "Windows Server (version unknown)"
	}
	return "Windows Server " + release
}
