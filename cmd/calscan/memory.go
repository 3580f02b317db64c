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
// accounts keep about 520 MB live at the peak and take about 660 MB rather
// than 970 MB, in about the same time (scripts/bench). A lower limit saves
// little more and costs seconds of collection. The limit is soft: a directory
// whose live data is larger still scans, the collector then using at most
// about half the CPU. GOMEMLIMIT (and GOGC) in the environment override this,
// as for any Go program.
const defaultMemoryLimit = 640 << 20

// limitMemory applies defaultMemoryLimit unless the environment sets one.
func limitMemory() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}
