package report

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"sync"

	"github.com/calscan/calscan/rules"
)

// HTMLFile is the name of the human-readable report.
const HTMLFile = "report.html"

//go:embed assets/report.html.tmpl assets/report.css assets/report.js
var assetFS embed.FS

// HTML writes report.html: one self-contained page (styles and script inline,
// the chart as inline SVG) that loads nothing from the network, so it works
// offline and as an email attachment. Directory strings are hostile input:
// they only ever reach the page through html/template's escaping.
type HTML struct{}

var _ Writer = (*HTML)(nil)

// Format implements Writer.
func (*HTML) Format() string { return FormatHTML }

// Files implements Writer.
func (*HTML) Files() []string { return []string{HTMLFile} }

// Write implements Writer.
func (h *HTML) Write(name string, w io.Writer, r *Report) error {
	if name != HTMLFile {
		return errUnknownFile(h, name)
	}
	a, err := loadHTMLAssets()
	if err != nil {
		return err
	}
	if err := a.page.Execute(w, newHTMLView(r, a)); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}

// htmlAssets are the parsed template and the page's own stylesheet and script.
type htmlAssets struct {
	page *template.Template
	css  template.CSS
	js   template.JS
	csp  string
}

// loadHTMLAssets parses the embedded files once.
var loadHTMLAssets = sync.OnceValues(func() (htmlAssets, error) {
	css, err := assetFS.ReadFile("assets/report.css")
	if err != nil {
		return htmlAssets{}, fmt.Errorf("read stylesheet: %w", err)
	}
	js, err := assetFS.ReadFile("assets/report.js")
	if err != nil {
		return htmlAssets{}, fmt.Errorf("read script: %w", err)
	}
	page, err := template.New("report.html.tmpl").Funcs(template.FuncMap{
		"num":      rules.FormatCount,
		"date":     shortDate,
		"time":     timestamp,
		"reason":   reasonLabel,
		"calType":  calTypeLabel,
		"severity": severityLabel,
		"edition":  editionLabel,
		"coreUnit": coreUnitLabel,
	}).ParseFS(assetFS, "assets/report.html.tmpl")
	if err != nil {
		return htmlAssets{}, fmt.Errorf("parse report template: %w", err)
	}
	return htmlAssets{
		page: page,
		css:  template.CSS(css),
		js:   template.JS(js),
		csp:  contentSecurityPolicy(css, js),
	}, nil
})

// contentSecurityPolicy forbids every network load and every inline style or
// script except the page's own, pinned by hash: even markup that slipped past
// escaping could neither run nor phone home.
func contentSecurityPolicy(css, js []byte) string {
	return "default-src 'none'; style-src " + cspHash(css) + "; script-src " + cspHash(js) +
		"; img-src data:; base-uri 'none'; form-action 'none'"
}

func cspHash(b []byte) string {
	sum := sha256.Sum256(b)
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
