package main

import (
	"context"

	"github.com/rs/zerolog"

	"github.com/calscan/calscan/config"
	"github.com/calscan/calscan/report"
)

// sendReports emails the written reports when the send rule says so; the
// on-change rule compares with the scan the report's changes are against.
// A failure is an output error (exit 4); the reports stay on disk.
func sendReports(ctx context.Context, e config.Email, rep *report.Report, files []string, log zerolog.Logger) error {
	send, why := report.ShouldSend(e.Send, rep, rep.Previous())
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
