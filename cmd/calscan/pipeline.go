package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/calscan/calscan/config"
	"github.com/calscan/calscan/report"
	"github.com/calscan/calscan/rules"
	"github.com/calscan/calscan/scanner"
)

// pipeline is one scan from directories to report files: scanner → rules → report.
type pipeline struct {
	log     zerolog.Logger
	stderr  io.Writer // progress is shown here when it is a terminal
	policy  rules.Policy
	sources []scanner.Source
	outDir  string
	formats []string
	now     time.Time

	historyDir  string // "" keeps no history
	historyKeep int
}

// run scans every source, applies the rules and writes the reports. A scan
// that fails writes nothing: reports only ever describe a complete scan.
func (p *pipeline) run(ctx context.Context) (*report.Report, []string, error) {
	inv := rules.NewInventory()
	if err := collect(ctx, p.log, p.stderr, p.sources, inv); err != nil {
		return nil, nil, err
	}
	res := rules.Evaluate(p.policy, inv, p.now)
	rep := report.New(res, p.now, "calscan "+version())
	if p.historyDir != "" {
		warnings, err := report.AttachHistory(rep, p.historyDir, p.historyKeep)
		for _, w := range warnings {
			p.log.Warn().Str("history", p.historyDir).Msg(w)
		}
		if err != nil {
			p.log.Warn().Err(err).Str("history", p.historyDir).Msg("previous scans not read; the report shows no changes")
		}
	}
	files, err := report.WriteFiles(p.outDir, p.formats, rep)
	if err != nil {
		return rep, nil, err
	}
	if p.historyDir != "" {
		if _, err := saveHistory(p.historyDir, rep, p.historyKeep, files); err != nil {
			return rep, files, err
		}
	}
	return rep, files, nil
}

// saveHistory keeps this scan's report.json in the history folder: a copy of
// the one just written when there is one (encoding a large report twice is
// slow), else encoded afresh.
func saveHistory(dir string, rep *report.Report, keep int, written []string) (string, error) {
	for _, f := range written {
		if filepath.Base(f) == report.JSONFile {
			return report.SaveHistoryFrom(dir, rep, keep, f)
		}
	}
	return report.SaveHistory(dir, rep, keep)
}

// collect scans all sources concurrently into inv. The first failure cancels
// the other scans and is returned: one unreachable domain fails the scan.
func collect(ctx context.Context, log zerolog.Logger, stderr io.Writer, sources []scanner.Source, inv *rules.Inventory) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	names := make([]string, len(sources))
	for i, s := range sources {
		names[i] = s.Name()
	}
	var terminal io.Writer
	if isTerminal(stderr) {
		terminal = stderr
	}
	prog := newProgress(names, terminal, log)
	prog.run()
	defer prog.finish()
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		firstErr error
	)
	for i, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			n := 0
			err := src.Scan(ctx, func(o *scanner.Object) error {
				mu.Lock()
				defer mu.Unlock()
				inv.Add(o)
				n++
				prog.add(i)
				return nil
			})
			if err != nil {
				if !scanner.IsDirectoryError(err) {
					err = &scanner.DirectoryError{Directory: src.Name(), Op: "scan", Err: err}
				}
				mu.Lock()
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
				return
			}
			log.Info().Str("directory", src.Name()).Int("objects", n).Stringer("took", time.Since(start).Round(time.Millisecond)).Msg("directory scanned")
		}()
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		return fmt.Errorf("scan interrupted: %w", context.Cause(ctx))
	}
	return firstErr
}

func isConfigError(err error) bool {
	var ce *config.Error
	return errors.As(err, &ce)
}

func isOutputError(err error) bool {
	var oe *report.OutputError
	var me *report.MailError
	return errors.As(err, &oe) || errors.As(err, &me)
}
