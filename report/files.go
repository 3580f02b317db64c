package report

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// OutputError is a failure to write a report file. The command maps it to
// exit code 4.
type OutputError struct {
	Path string
	Err  error
}

func (e *OutputError) Error() string { return fmt.Sprintf("write report %s: %v", e.Path, e.Err) }

func (e *OutputError) Unwrap() error { return e.Err }

// WriteFiles writes the report in each format into dir, which it creates, and
// returns the paths written. Every file is first written in full to a hidden
// temporary file in dir and synced; only when all of them are complete are
// they renamed over the previous report. On error no temporary file is left
// and the previous report's files are untouched. Write errors are
// *OutputError; an unknown format is an error wrapping ErrFormat, returned
// before anything is written.
func WriteFiles(dir string, formats []string, r *Report) ([]string, error) {
	writers, err := writersFor(formats)
	if err != nil {
		return nil, err
	}
	return writeFiles(dir, writers, r)
}

func writersFor(formats []string) ([]Writer, error) {
	if len(formats) == 0 {
		return nil, fmt.Errorf("%w: none given (valid: %s)", ErrFormat, strings.Join(Formats(), ", "))
	}
	var writers []Writer
	seen := make(map[string]bool)
	for _, f := range formats {
		w, err := NewWriter(f)
		if err != nil {
			return nil, err
		}
		if !seen[w.Format()] {
			seen[w.Format()] = true
			writers = append(writers, w)
		}
	}
	return writers, nil
}

// pendingFile is a finished temporary file waiting to be renamed into place.
type pendingFile struct{ tmp, final string }

func writeFiles(dir string, writers []Writer, r *Report) (written []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &OutputError{Path: dir, Err: err}
	}
	var pending []pendingFile
	defer func() {
		if err != nil {
			for _, p := range pending {
				_ = os.Remove(p.tmp) // best effort; the error being returned matters more
			}
		}
	}()

	// The files are rendered side by side: each reads the report and
	// writes its own file, and on a large directory each takes seconds.
	type render struct {
		w           Writer
		name, final string
		tmp         string
		err         error
	}
	var renders []*render
	for _, w := range writers {
		for _, name := range w.Files() {
			renders = append(renders, &render{w: w, name: name, final: filepath.Join(dir, name)})
		}
	}
	var wg sync.WaitGroup
	for _, f := range renders {
		wg.Go(func() { f.tmp, f.err = writeTemp(dir, f.name, f.w, r) })
	}
	wg.Wait()
	var failed *render
	for _, f := range renders {
		switch {
		case f.err == nil:
			pending = append(pending, pendingFile{tmp: f.tmp, final: f.final})
		case failed == nil:
			failed = f
		}
	}
	if failed != nil {
		return nil, &OutputError{Path: failed.final, Err: failed.err}
	}

	for i, p := range pending {
		if err := os.Rename(p.tmp, p.final); err != nil {
			pending = pending[i:] // the ones before are in place; clean up the rest
			return written, &OutputError{Path: p.final, Err: err}
		}
		written = append(written, p.final)
	}
	pending = nil
	if err := syncDir(dir); err != nil {
		return written, &OutputError{Path: dir, Err: err}
	}
	return written, nil
}

// writeTemp renders one file to a new temporary file in dir, synced and
// closed, and returns its path. On error the temporary file is removed.
func writeTemp(dir, name string, w Writer, r *Report) (path string, err error) {
	f, err := createTemp(dir, name)
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()

	buf := bufio.NewWriterSize(f, 64<<10)
	if err := w.Write(name, buf, r); err != nil {
		return "", err
	}
	if err := buf.Flush(); err != nil {
		return "", fmt.Errorf("flush: %w", err)
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("sync: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("close: %w", err)
	}
	return f.Name(), nil
}

// createTemp is os.CreateTemp with the permissions of an ordinary new file
// (0666 less the umask) rather than 0600, so the renamed report is as
// readable as any file the admin creates.
func createTemp(dir, name string) (*os.File, error) {
	for range 10 {
		var suffix [6]byte
		_, _ = rand.Read(suffix[:]) // crypto/rand.Read never fails
		path := filepath.Join(dir, "."+name+".tmp-"+hex.EncodeToString(suffix[:]))
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("create temporary file: %w", err)
		}
		return f, nil
	}
	return nil, fmt.Errorf("create temporary file for %s: too many name collisions", name)
}

// syncDir makes the renames durable. Windows cannot sync a directory handle,
// and its renames need no such step.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	return nil
}
