package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// logFlags are the logging flags every subcommand takes.
type logFlags struct {
	level  string
	format string
}

func (l *logFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.level, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&l.format, "log-format", "auto", "log format on stderr: auto (console on a terminal, JSON otherwise), console or json")
}

// logger builds the logger for stderr. Logs never carry a password: nothing
// logs a config value that could hold one.
func (l *logFlags) logger(stderr io.Writer) (zerolog.Logger, error) {
	level, err := zerolog.ParseLevel(strings.ToLower(l.level))
	if err != nil || level == zerolog.NoLevel {
		return zerolog.Nop(), usagef("--log-level %q: use debug, info, warn or error", l.level)
	}
	var w io.Writer
	switch l.format {
	case "json":
		w = stderr
	case "console":
		w = zerolog.ConsoleWriter{Out: stderr, TimeFormat: time.TimeOnly, NoColor: !isTerminal(stderr)}
	case "auto", "":
		w = stderr
		if isTerminal(stderr) {
			w = zerolog.ConsoleWriter{Out: stderr, TimeFormat: time.TimeOnly}
		}
	default:
		return zerolog.Nop(), usagef("--log-format %q: use auto, console or json", l.format)
	}
	// Concurrent scans log from several goroutines: serialise the writes.
	return zerolog.New(zerolog.SyncWriter(w)).Level(level).With().Timestamp().Logger(), nil
}

// isTerminal reports whether w is a character device (a terminal, or the
// Windows console), without a dependency.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// fail logs err for a person and returns its exit code.
func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "calscan: %v\n", err)
	return exitCodeOf(err)
}
