package main

import (
	"context"
	"errors"
	"io/fs"

	"github.com/rs/zerolog"

	"github.com/calscan/calscan/config"
	"github.com/calscan/calscan/report"
)

// previousReport reads the newest report in the history folder, for the
// on-change send rule. It must be read before this scan adds its own.
func previousReport(historyDir string, log zerolog.Logger) *report.Report {
	if historyDir == "" {
		return nil
	}
	path, err := report.Latest(historyDir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			log.Warn().Err(err).Msg("previous report not found; on-change treats this scan as a change")
		}
		return nil
	}
	prev, err := report.LoadReport(path)
	if err != nil {
		log.Warn().Err(err).Str("file", path).Msg("previous report unreadable; on-change treats this scan as a change")
		return nil
	}
	return prev
}

// sendReports emails the written reports when the send rule says so. A
// failure is an output error (exit 4); the reports stay on disk.
func sendReports(ctx context.Context, e config.Email, rep, prev *report.Report, files []string, log zerolog.Logger) error {
	send, why := report.ShouldSend(e.Send, rep, prev)
	if !send {
		log.Info().Str("send", e.Send).Msg("email not sent: " + why)
		return nil
	}
	m := report.Mail{
		Host: e.Host, Port: e.Port, TLS: e.TLS, Username: e.Username, Password: e.Password,
		From: e.From, To: e.To, Subject: e.Subject, CAFile: e.CAFile, Timeout: e.Timeout,
	}
	if err := report.SendMail(ctx, m, rep, files, log); err != nil {
		return err
	}
	log.Info().Strs("to", e.To).Str("reason", why).Msg("reports emailed")
	return nil
}
