package main

import (
	"os"
	"runtime/debug"
)

// defaultMemoryLimit is the soft limit on the Go heap when GOMEMLIMIT is not set.
//
// A scan holds the whole directory in memory (the rules need every account
// at once), and Go's collector by default lets the heap grow to twice what
// is live before collecting. Up to a few hundred thousand accounts that stays
// well under this limit and nothing changes. Beyond, the limit makes the
// collector run more often instead of letting the heap double: a million
// accounts keep about 290 MB live after the rules (about 380 MB while being
// compared with the previous scan) and take about 470 MB rather than 660 MB
// (770 MB for a second scan), for two or three seconds more of collection
// (scripts/bench). The limit is soft: a directory whose live data is larger
// still scans, the collector then using at most about half the CPU.
// GOMEMLIMIT (and GOGC) in the environment override this, as for any Go
// program.
const defaultMemoryLimit = 448 << 20

// limitMemory applies defaultMemoryLimit unless the environment sets one.
func limitMemory() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}
