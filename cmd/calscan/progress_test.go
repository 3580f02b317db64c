package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// lockedBuffer is a bytes.Buffer safe for the progress goroutine and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls until cond holds; it fails the test after a generous bound
// (a hang check, not a timing assertion).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met")
}

func TestProgressOffTerminalLogs(t *testing.T) {
	var logs lockedBuffer
	p := newProgress([]string{"corp", "branch"}, nil, zerolog.New(&logs))
	p.every = time.Millisecond
	for range 42 {
		p.add(0)
	}
	p.add(1)
	p.run()
	waitFor(t, func() bool { return strings.Contains(logs.String(), `"objects":42`) })
	p.finish()
	out := logs.String()
	for _, want := range []string{`"directory":"corp"`, `"directory":"branch"`, `"objects":1`, `"message":"scanning"`} {
		if !strings.Contains(out, want) {
			t.Errorf("progress log lacks %s:\n%s", want, out)
		}
	}
}

func TestProgressOnTerminalRewritesOneLine(t *testing.T) {
	var term lockedBuffer
	p := newProgress([]string{"corp"}, &term, zerolog.Nop())
	p.every = time.Millisecond
	for range 7 {
		p.add(0)
	}
	p.run()
	waitFor(t, func() bool { return strings.Contains(term.String(), "corp: 7 objects") })
	p.finish()
	out := term.String()
	if strings.Contains(out, "\n") {
		t.Errorf("terminal progress must rewrite one line, not print new ones: %q", out)
	}
	if !strings.HasSuffix(out, "\r\033[K") {
		t.Errorf("the progress line is not cleared at the end: %q", out[max(0, len(out)-20):])
	}
}
