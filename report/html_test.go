package report

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/calscan/calscan/rules"
)

func renderHTML(t testing.TB, r *Report) string {
	t.Helper()
	return string(render(t, &HTML{}, HTMLFile, r))
}

const (
	scriptPayload = `<script>alert(1)</script>`
	imgPayload    = `"><img src=x onerror=alert(1)>`
)

// TestHTMLEscapesDirectoryStrings puts markup in every place a directory
// string reaches the page: text and attributes alike must come out escaped.
func TestHTMLEscapesDirectoryStrings(t *testing.T) {
	tests := []struct {
		payload, escaped string
	}{
		{scriptPayload, `&lt;script&gt;alert(1)&lt;/script&gt;`},
		{imgPayload, `&#34;&gt;&lt;img src=x onerror=alert(1)&gt;`},
	}
	places := []struct {
		name string
		set  func(res *rules.Result, p string)
	}{
		{"user display name", func(res *rules.Result, p string) { res.Users.List()[0].DisplayName = p }},
		{"user DN (title attribute)", func(res *rules.Result, p string) { res.Users.List()[0].DN = p }},
		{"device operating system", func(res *rules.Result, p string) { res.Devices.List()[0].OperatingSystem = p }},
		{"server name", func(res *rules.Result, p string) { res.Servers[0].Name = p }},
		{"server DNS name (title attribute)", func(res *rules.Result, p string) { res.Servers[0].DNSName = p }},
		{"server operating system", func(res *rules.Result, p string) { res.Servers[1].OperatingSystem = p }},
		{"finding subject, inline", func(res *rules.Result, p string) { res.Findings[0].Subjects = []string{p} }},
		{"finding subject, collapsed", func(res *rules.Result, p string) { res.Findings[1].Subjects[6] = p }},
		{"directory name", func(res *rules.Result, p string) { res.Directories[0].Name = p }},
	}
	for _, tt := range tests {
		for _, place := range places {
			t.Run(place.name+"/"+tt.payload, func(t *testing.T) {
				res := sampleResult()
				place.set(res, tt.payload)
				page := renderHTML(t, New(res, generatedAt, "0.1.0"))
				if strings.Contains(page, tt.payload) {
					t.Errorf("the raw payload %q is in the page", tt.payload)
				}
				if !strings.Contains(page, tt.escaped) {
					t.Errorf("the escaped payload %q is not in the page", tt.escaped)
				}
				if strings.Contains(page, "<img") || strings.Count(page, "<script") != 1 {
					t.Errorf("the page has an <img> or more than its own <script>")
				}
			})
		}
	}
}

var (
	networkRef = regexp.MustCompile(`(?i)\b(src|href|action|srcset|poster|data)\s*=\s*["']?\s*(https?:|//)`)
	cssURL     = regexp.MustCompile(`(?i)(url\(|@import)\s*["']?\s*(https?:|//)`)
	cspMeta    = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
	styleBody  = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
	scriptBody = regexp.MustCompile(`(?s)<script>(.*?)</script>`)
)

func TestHTMLLoadsNothingFromTheNetwork(t *testing.T) {
	page := renderHTML(t, sampleReport())
	if m := networkRef.FindString(page); m != "" {
		t.Errorf("the page references the network: %q", m)
	}
	if m := cssURL.FindString(page); m != "" {
		t.Errorf("the stylesheet references the network: %q", m)
	}
	for _, asset := range []string{"assets/report.html.tmpl", "assets/report.css", "assets/report.js"} {
		b, err := assetFS.ReadFile(asset)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "http:") || strings.Contains(string(b), "https:") {
			t.Errorf("%s mentions an http(s) address", asset)
		}
	}
}

// TestHTMLContentSecurityPolicy checks that the policy forbids network loads
// and that its hashes match the page's own style and script exactly.
func TestHTMLContentSecurityPolicy(t *testing.T) {
	page := renderHTML(t, sampleReport())
	m := cspMeta.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no Content-Security-Policy meta element")
	}
	csp := html.UnescapeString(m[1])
	for _, want := range []string{"default-src 'none'", "img-src data:", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("policy %q allows any inline code", csp)
	}
	for _, el := range []struct {
		directive string
		body      *regexp.Regexp
	}{
		{"style-src", styleBody},
		{"script-src", scriptBody},
	} {
		bm := el.body.FindStringSubmatch(page)
		if bm == nil || strings.TrimSpace(bm[1]) == "" {
			t.Fatalf("no %s content in the page", el.directive)
		}
		sum := sha256.Sum256([]byte(bm[1]))
		want := fmt.Sprintf("%s 'sha256-%s'", el.directive, base64.StdEncoding.EncodeToString(sum[:]))
		if !strings.Contains(csp, want) {
			t.Errorf("policy %q does not pin the page's element: want %q", csp, want)
		}
	}
	if i, j := strings.Index(page, "Content-Security-Policy"), strings.Index(page, "<style>"); i < 0 || j < i {
		t.Error("the policy must come before the stylesheet")
	}
}

func TestHTMLContent(t *testing.T) {
	compliant := sampleResult()
	compliant.Compliant = true
	compliant.CALs[0].Owned, compliant.CALs[0].Shortfall, compliant.CALs[0].Surplus = 1920, 0, 12

	big := sampleResult()
	big.Users = rules.NewAccounts(manyAccounts(2500, "user"))
	big.Findings[1].Subjects = make([]string, 1200)
	for i := range big.Findings[1].Subjects {
		big.Findings[1].Subjects[i] = fmt.Sprintf("corp\\stale%04d", i)
	}

	tests := []struct {
		name    string
		res     *rules.Result
		want    []string
		notWant []string
	}{
		{
			name: "not compliant",
			res:  sampleResult(),
			want: []string{
				`<section class="verdict bad"`, `<p class="verdict-title">Not compliant</p>`,
				`Buy 68 Windows Server 2022 User CALs.`,
				`<title>CAL compliance: Not compliant</title>`,
				`José Müller`, `Partner &#34;One&#34;`,
				`<details><summary>7 subjects</summary>`, // more than 5 subjects collapse
				`<li>user</li>`,
				`TLS not verified`,
				`<span class="figure">175</span> accounts are disabled`,
				`<rect class="short"`, `1,908 required`,
				`<td class="n"><strong>68</strong></td>`,
				`excluded: stale`, `<span class="tag">external</span>`,
				`Essentials: no CALs, at most 25 users and 50 devices`,
				`@media print`, `prefers-color-scheme: dark`,
			},
			notWant: []string{`Showing the first`, `more in findings.csv`},
		},
		{
			name:    "compliant",
			res:     compliant,
			want:    []string{`<section class="verdict ok"`, `<p class="verdict-title">Compliant</p>`, `You own 12 more User CALs than you need.`},
			notWant: []string{`<p class="verdict-action">Buy`, `<rect class="short"`},
		},
		{
			name: "large directory",
			res:  big,
			want: []string{
				`Showing the first 1,000 of 2,500 users: all 2,500 rows are in users.csv.`,
				`user000999`, `… and 200 more in findings.csv`, `<summary>1,200 subjects</summary>`,
			},
			notWant: []string{`user001000`, `stale1000`},
		},
		{
			name:    "empty",
			res:     &rules.Result{Compliant: true},
			want:    []string{`No CALs are required.`, `No findings.`, `No servers were found or configured.`, `No users.`, `No devices.`, `No directories were scanned.`},
			notWant: []string{`<svg`, `table class="data"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := renderHTML(t, New(tt.res, generatedAt, "0.1.0"))
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(page, nw) {
					t.Errorf("page has %q", nw)
				}
			}
		})
	}
}

func TestBarChart(t *testing.T) {
	tests := []struct {
		name       string
		cals       []rules.CALLine
		wantWidths [][2]int // required, owned per line
		wantClass  []string // of the owned bar
	}{
		{"empty", nil, nil, nil},
		{"largest bar fills the area", []rules.CALLine{
			{Type: rules.CALUser, Required: 200, Owned: 100, Shortfall: 100},
			{Type: rules.CALRDSUser, Required: 0, Owned: 1},
		}, [][2]int{{chartBarAreaW, chartBarAreaW / 2}, {0, 2}}, []string{"short", "owned"}},
		{"a small count stays visible", []rules.CALLine{
			{Type: rules.CALUser, Required: 5000, Owned: 1, Shortfall: 4999},
		}, [][2]int{{chartBarAreaW, 1}}, []string{"short"}},
		{"nothing required or owned", []rules.CALLine{{Type: rules.CALDevice}}, [][2]int{{0, 0}}, []string{"owned"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := newBarChart(tt.cals)
			if len(ch.Groups) != len(tt.wantWidths) {
				t.Fatalf("%d groups, want %d", len(ch.Groups), len(tt.wantWidths))
			}
			for i, g := range ch.Groups {
				if got := [2]int{g.Bars[0].Width, g.Bars[1].Width}; got != tt.wantWidths[i] {
					t.Errorf("group %d widths = %v, want %v", i, got, tt.wantWidths[i])
				}
				if g.Bars[1].Class != tt.wantClass[i] {
					t.Errorf("group %d owned class = %q, want %q", i, g.Bars[1].Class, tt.wantClass[i])
				}
				if last := g.Bars[1]; last.Y+chartBarH > ch.Height {
					t.Errorf("group %d ends at %d, below the chart height %d", i, last.Y+chartBarH, ch.Height)
				}
			}
		})
	}
}
