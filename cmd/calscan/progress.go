package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
)

// progress shows how far a long scan has got: a line rewritten in place on a
// terminal, periodic log lines otherwise (cron, systemd, Task Scheduler).
type progress struct {
	names    []string
	counts   []atomic.Int64
	start    time.Time
	terminal io.Writer // nil: log instead
	log      zerolog.Logger
	every    time.Duration
	stop     chan struct{}
	done     sync.WaitGroup
}

func newProgress(names []string, terminal io.Writer, log zerolog.Logger) *progress {
	p := &progress{names: names, counts: make([]atomic.Int64, len(names)), start: time.Now(), terminal: terminal, log: log, stop: make(chan struct{})}
	p.every = 10 * time.Second
	if terminal != nil {
		p.every = 250 * time.Millisecond
	}
	return p
}

// add counts one object read from source i. Safe from any goroutine.
func (p *progress) add(i int) { p.counts[i].Add(1) }

func (p *progress) run() {
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		t := time.NewTicker(p.every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				if p.terminal != nil {
					fmt.Fprint(p.terminal, "\r\033[K") // clear the progress line before the verdict
				}
				return
			case <-t.C:
				p.show()
			}
		}
	}()
}

func (p *progress) finish() {
	close(p.stop)
	p.done.Wait()
}

func (p *progress) show() {
	elapsed := time.Since(p.start).Seconds()
	if p.terminal == nil {
		for i, name := range p.names {
			n := p.counts[i].Load()
			p.log.Info().Str("directory", name).Int64("objects", n).Int("per_second", int(float64(n)/elapsed)).Msg("scanning")
		}
		return
	}
	parts := make([]string, len(p.names))
	for i, name := range p.names {
		n := p.counts[i].Load()
		parts[i] = fmt.Sprintf("%s: %d objects (%d/s)", name, n, int(float64(n)/elapsed))
	}
	fmt.Fprintf(p.terminal, "\r\033[Kscanning… %s", strings.Join(parts, ", "))
}
