package report

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"

	"github.com/calscan/calscan/rules"
)

//go:embed assets/email.html.tmpl
var emailFS embed.FS

// DefaultMailSubject is used when Mail.Subject is empty.
const DefaultMailSubject = "CAL compliance: {{.Verdict}}"

// maxEmailSubjects is how many subjects of a finding the email lists; the
// attached report has them all.
const maxEmailSubjects = 10

// SubjectData is what the subject template can use.
type SubjectData struct {
	Verdict   string // "Compliant" or "Not compliant"
	Compliant bool
	Shortfall int    // CALs to buy, all types together
	Domains   string // names of the scanned directories, comma-separated
	Action    string // the money sentence: "Buy 68 Windows Server 2022 User CALs."
	Date      string // the day of the scan, "2026-11-26" (UTC)
}

func newSubjectData(r *Report) SubjectData {
	d := SubjectData{Verdict: verdictTitle(r), Compliant: r.Compliant, Action: verdictAction(r)}
	for _, c := range r.CALs {
		d.Shortfall += c.Shortfall
	}
	names := make([]string, 0, len(r.Directories))
	for _, dir := range r.Directories {
		names = append(names, dir.Name)
	}
	d.Domains = strings.Join(names, ", ")
	if !r.GeneratedAt.IsZero() {
		d.Date = r.GeneratedAt.UTC().Format(time.DateOnly)
	}
	return d
}

// CheckSubject reports whether a subject template parses and renders, so that
// a bad one is a configuration error rather than a failed send.
func CheckSubject(tmpl string) error {
	_, err := renderSubject(tmpl, New(&rules.Result{}, time.Now(), ""))
	return err
}

func renderSubject(tmpl string, r *Report) (string, error) {
	if strings.TrimSpace(tmpl) == "" {
		tmpl = DefaultMailSubject
	}
	t, err := template.New("subject").Parse(tmpl)
	if err != nil {
		return "", fmt.Errorf("subject template: %w", err)
	}
	var b strings.Builder
	if err := t.Execute(&b, newSubjectData(r)); err != nil {
		return "", fmt.Errorf("subject template: %w", err)
	}
	return oneLine(b.String()), nil
}

// oneLine turns control characters (a newline would end the header) into
// spaces and collapses runs of white space.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}

// newMessage builds the email: a plain-text and an HTML summary as
// alternatives, and the report files attached.
func newMessage(m Mail, r *Report, attachments []string) (*gomail.Msg, error) {
	if r == nil {
		return nil, errors.New("no report to send")
	}
	msg := gomail.NewMsg()
	if err := msg.From(m.From); err != nil {
		return nil, fmt.Errorf("from address %q: %w", m.From, err)
	}
	if len(m.To) == 0 {
		return nil, errors.New("no recipients")
	}
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("to address: %w", err)
	}
	subject, err := renderSubject(m.Subject, r)
	if err != nil {
		return nil, err
	}
	msg.Subject(subject)
	msg.SetUserAgent(r.Tool)
	msg.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies

	names := make([]string, len(attachments))
	for i, path := range attachments {
		names[i] = filepath.Base(path)
	}
	view := newEmailView(r, names)
	html, err := emailHTML(view)
	if err != nil {
		return nil, err
	}
	msg.SetBodyString(gomail.TypeTextPlain, emailText(view))
	msg.AddAlternativeString(gomail.TypeTextHTML, html)

	for i, path := range attachments {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("attach report file: %w", err)
		}
		msg.AttachReadSeeker(names[i], bytes.NewReader(data), gomail.WithFileContentType(attachmentType(path)))
	}
	return msg, nil
}

// attachmentType is the content type of a report file, by extension.
func attachmentType(path string) gomail.ContentType {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".csv":
		return "text/csv; charset=utf-8"
	case ".json":
		return "application/json"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return gomail.TypeAppOctetStream
}

// emailView is what both bodies show, computed once.
type emailView struct {
	Verdict     string
	Action      string
	Compliant   bool
	Facts       []string // the Summary lines after the verdict
	CALs        []emailCALRow
	Findings    []emailFinding // violations and warnings, most severe first
	InfoCount   int            // info findings: only in the attached report
	Directories []string
	Attachments []string
	GeneratedAt string
	Tool        string
}

type emailCALRow struct {
	Label     string // "User" or, under it, "version 2019"
	Version   string // the version needed, on a type's row
	Required  int
	Owned     int
	Shortfall int
	Surplus   int
	Sub       bool // a per-version row under its type
}

type emailFinding struct {
	rules.Finding
	Label    string   // "Violation", "Warning"
	Subjects []string // at most maxEmailSubjects
	More     int      // subjects left out
}

func newEmailView(r *Report, attachments []string) emailView {
	v := emailView{
		Verdict:     verdictTitle(r),
		Action:      verdictAction(r),
		Compliant:   r.Compliant,
		Attachments: attachments,
		GeneratedAt: r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"),
		Tool:        r.Tool,
	}
	lines := strings.Split(strings.TrimSpace(Summary(r)), "\n")
	if len(lines) > 1 {
		v.Facts = lines[1:] // the first is the verdict, shown on its own
	}
	for _, c := range r.CALs {
		v.CALs = append(v.CALs, emailCALRow{Label: calTypeLabel(c.Type), Version: c.MinVersion,
			Required: c.Required, Owned: c.Owned, Shortfall: c.Shortfall, Surplus: c.Surplus})
		if len(c.ByVersion) > 1 {
			for _, bv := range c.ByVersion {
				v.CALs = append(v.CALs, emailCALRow{Label: "version " + bv.Version, Required: bv.Required, Owned: bv.Owned, Sub: true})
			}
		}
	}
	for _, sev := range []rules.Severity{rules.SeverityViolation, rules.SeverityWarning} {
		for _, f := range r.Findings {
			if f.Severity != sev {
				continue
			}
			ef := emailFinding{Finding: f, Label: severityLabel(f.Severity), Subjects: f.Subjects}
			if len(ef.Subjects) > maxEmailSubjects {
				ef.Subjects, ef.More = ef.Subjects[:maxEmailSubjects], len(ef.Subjects)-maxEmailSubjects
			}
			v.Findings = append(v.Findings, ef)
		}
	}
	v.InfoCount = len(r.Findings) - len(v.Findings)
	for _, d := range r.Directories {
		v.Directories = append(v.Directories, d.Name)
	}
	return v
}

// loadEmailTemplate parses the embedded HTML body once. html/template
// escapes every value: directory strings are hostile input.
var loadEmailTemplate = sync.OnceValues(func() (*htmltemplate.Template, error) {
	t, err := htmltemplate.New("email.html.tmpl").Funcs(htmltemplate.FuncMap{
		"num":  rules.FormatCount,
		"join": strings.Join,
	}).ParseFS(emailFS, "assets/email.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse email template: %w", err)
	}
	return t, nil
})

func emailHTML(v emailView) (string, error) {
	t, err := loadEmailTemplate()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, v); err != nil {
		return "", fmt.Errorf("render email body: %w", err)
	}
	return b.String(), nil
}

// emailText is the plain-text alternative, for clients that show no HTML.
func emailText(v emailView) string {
	var b strings.Builder
	b.WriteString(v.Verdict + "\n" + v.Action + "\n\n")
	for _, f := range v.Facts {
		b.WriteString(f + "\n")
	}

	if len(v.CALs) > 0 {
		rows := [][]string{{"CAL type", "Version needed", "Required", "Owned", "To buy", "Spare"}}
		for _, c := range v.CALs {
			if c.Sub {
				rows = append(rows, []string{"  " + c.Label, "", rules.FormatCount(c.Required), rules.FormatCount(c.Owned), "", ""})
				continue
			}
			rows = append(rows, []string{c.Label, orDash(c.Version), rules.FormatCount(c.Required),
				rules.FormatCount(c.Owned), rules.FormatCount(c.Shortfall), rules.FormatCount(c.Surplus)})
		}
		b.WriteString("\n")
		writeTextTable(&b, rows, 2) // names left, numbers right
	}

	if len(v.Findings) > 0 {
		b.WriteString("\nViolations and warnings\n")
		for _, f := range v.Findings {
			fmt.Fprintf(&b, "\n[%s] %s: %s\n", f.Label, f.Code, plainText(f.Message))
			if f.Action != "" {
				b.WriteString("  What to do: " + plainText(f.Action) + "\n")
			}
			if len(f.Subjects) > 0 {
				b.WriteString("  Affects: " + plainText(strings.Join(f.Subjects, ", ")))
				if f.More > 0 {
					fmt.Fprintf(&b, " and %s more (see the full report)", rules.FormatCount(f.More))
				}
				b.WriteString("\n")
			}
		}
	}
	if v.InfoCount > 0 {
		fmt.Fprintf(&b, "\n%s in the full report.\n", count(v.InfoCount, "further note is", "further notes are"))
	}

	b.WriteString("\n")
	if len(v.Attachments) > 0 {
		b.WriteString("Attached: " + strings.Join(v.Attachments, ", ") + "\n")
	}
	if len(v.Directories) > 0 {
		b.WriteString("Scanned: " + plainText(strings.Join(v.Directories, ", ")) + "\n")
	}
	b.WriteString("Generated " + v.GeneratedAt + " by " + v.Tool + ".\n")
	return b.String()
}

// writeTextTable lays rows out in columns two spaces apart: the first
// leftColumns columns aligned left, the others right.
func writeTextTable(b *strings.Builder, rows [][]string, leftColumns int) {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if i > 0 {
				line.WriteString("  ")
			}
			if i < leftColumns {
				line.WriteString(cell + pad)
			} else {
				line.WriteString(pad + cell)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// plainText keeps directory strings on their line in the text body.
func plainText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
