package config

import (
	"fmt"
	"strings"
)

// Problem is one mistake in the configuration, named by its key.
type Problem struct {
	Key  string // e.g. "directory[1].url" (blocks counted from 1, as people do)
	Line int    // 0 when unknown
	Msg  string
}

// Error is everything wrong with one configuration file. The command maps it
// to exit code 2: nothing was scanned.
type Error struct {
	Path     string
	Problems []Problem
	Err      error // a failure to read or parse the file as TOML
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("config %s: %v", e.Path, e.Err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "config %s: %d problem", e.Path, len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		if p.Line > 0 {
			fmt.Fprintf(&b, "line %d: ", p.Line)
		}
		fmt.Fprintf(&b, "%s: %s", p.Key, p.Msg)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }
