package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/calscan/calscan/rules"
)

// barChart is a horizontal bar chart of required against owned CALs per
// type, laid out here so that the page needs no script to draw it.
type barChart struct {
	Width, Height int
	Groups        []barGroup
}

type barGroup struct {
	LabelY int
	Label  string
	Bars   []bar
}

type bar struct {
	Y, Width    int
	TextX       int
	TextY       int
	Text        string
	Class       string // required | owned | short
	Description string // for screen readers
}

// Chart geometry, in SVG user units (the SVG scales to the page width).
const (
	chartWidth     = 640
	chartLabelW    = 110
	chartBarAreaW  = 420
	chartBarH      = 18
	chartBarGap    = 4
	chartGroupGap  = 16
	chartTextInset = 6
)

func newBarChart(cals []rules.CALLine) barChart {
	largest := 0
	for _, c := range cals {
		largest = max(largest, c.Required, c.Owned)
	}
	scale := func(n int) int {
		if largest == 0 || n == 0 {
			return 0
		}
		return max(1, n*chartBarAreaW/largest) // a non-zero count stays visible
	}

	ch := barChart{Width: chartWidth}
	y := 0
	for _, c := range cals {
		ownedClass := "owned"
		if c.Shortfall > 0 {
			ownedClass = "short"
		}
		label := calTypeLabel(c.Type)
		g := barGroup{LabelY: y + chartBarH + chartBarGap/2 + 4, Label: label}
		for i, b := range []struct {
			n     int
			what  string
			class string
		}{
			{c.Required, "required", "required"},
			{c.Owned, "owned", ownedClass},
		} {
			w := scale(b.n)
			g.Bars = append(g.Bars, bar{
				Y:           y + i*(chartBarH+chartBarGap),
				Width:       w,
				TextX:       chartLabelW + w + chartTextInset,
				TextY:       y + i*(chartBarH+chartBarGap) + chartBarH - 5,
				Text:        rules.FormatCount(b.n) + " " + b.what,
				Class:       b.class,
				Description: label + " CALs " + b.what + ": " + rules.FormatCount(b.n),
			})
		}
		ch.Groups = append(ch.Groups, g)
		y += 2*chartBarH + chartBarGap + chartGroupGap
	}
	ch.Height = max(0, y-chartGroupGap)
	return ch
}

// BarX is where every bar starts.
func (barChart) BarX() int { return chartLabelW }

// BarHeight is the height of one bar.
func (barChart) BarHeight() int { return chartBarH }

// trendChart is one CAL type's required and owned CALs at each scan in the
// history, as a line chart laid out here. Lines take the text colour
// (currentColor) and the markers the bar chart's classes, so that the page's
// light, dark and print styles colour it without a style of its own.
type trendChart struct {
	ID            string
	Title         string // "User CALs"
	Width, Height int
	Plot          trendPlot
	Grid          []trendTick // value lines, bottom up
	Dates         []trendTick // scan dates under the plot
	Required      string      // polyline points
	Owned         string
	Markers       []trendMarker
	Legend        []trendLegend
}

// trendLegend is a line sample, a marker and its words, above the plot.
type trendLegend struct {
	LineX1, LineX2, LineY int
	Dashed                bool
	MarkerX, MarkerY      int
	Class                 string
	TextX, TextY          int
	Text                  string
}

type trendPlot struct{ Left, Right, Top, Bottom int }

type trendTick struct {
	Pos    int // y of a value line, x of a date
	Label  string
	Anchor string // text-anchor of a date: start | middle | end
}

type trendMarker struct {
	X, Y        int    // top left of the square
	Class       string // required | owned | short
	Description string // for screen readers and on hover
}

// Trend chart geometry, in SVG user units.
const (
	trendWidth      = 640
	trendHeight     = 210
	trendLeft       = 64 // room for the value labels
	trendRight      = 16
	trendTop        = 34 // room for the legend
	trendBottom     = 28 // room for the dates
	trendMarkerSize = 8
	trendMaxDates   = 6
)

// newTrendCharts makes a chart per CAL type required or owned at any of the
// points, in the order the types first appear. It needs two points or more.
func newTrendCharts(points []HistoryPoint) []trendChart {
	if len(points) < 2 {
		return nil
	}
	var types []rules.CALType
	seen := make(map[rules.CALType]bool)
	for _, p := range points {
		for _, c := range p.CALs {
			if !seen[c.Type] && (c.Required > 0 || c.Owned > 0) {
				seen[c.Type] = true
				types = append(types, c.Type)
			}
		}
	}
	charts := make([]trendChart, len(types))
	for i, t := range types {
		charts[i] = newTrendChart(fmt.Sprintf("trend-%d", i), t, points)
	}
	return charts
}

func newTrendChart(id string, t rules.CALType, points []HistoryPoint) trendChart {
	values := make([]HistoryCAL, len(points))
	top := 0
	for i, p := range points {
		for _, c := range p.CALs {
			if c.Type == t {
				values[i] = c
			}
		}
		top = max(top, values[i].Required, values[i].Owned)
	}
	top = niceCeiling(top)

	plot := trendPlot{Left: trendLeft, Right: trendWidth - trendRight, Top: trendTop, Bottom: trendHeight - trendBottom}
	x := func(i int) int { return plot.Left + i*(plot.Right-plot.Left)/(len(points)-1) }
	y := func(v int) int { return plot.Bottom - v*(plot.Bottom-plot.Top)/top }

	label := calTypeLabel(t) + " CALs"
	ch := trendChart{ID: id, Title: label, Width: trendWidth, Height: trendHeight, Plot: plot}
	lines := []int{0, top}
	if top%2 == 0 {
		lines = []int{0, top / 2, top} // a middle line only where its value is whole
	}
	for _, v := range lines {
		ch.Grid = append(ch.Grid, trendTick{Pos: y(v), Label: rules.FormatCount(v)})
	}
	var required, owned []string
	for i, v := range values {
		date := shortDate(points[i].GeneratedAt)
		required = append(required, fmt.Sprintf("%d,%d", x(i), y(v.Required)))
		owned = append(owned, fmt.Sprintf("%d,%d", x(i), y(v.Owned)))
		ownedClass := "owned"
		if v.Shortfall > 0 {
			ownedClass = "short"
		}
		ch.Markers = append(ch.Markers,
			newTrendMarker(x(i), y(v.Required), "required", date+": "+rules.FormatCount(v.Required)+" "+label+" required"),
			newTrendMarker(x(i), y(v.Owned), ownedClass, date+": "+rules.FormatCount(v.Owned)+" "+label+" owned"+shortfallNote(v.Shortfall)))
	}
	ch.Required, ch.Owned = strings.Join(required, " "), strings.Join(owned, " ")
	ch.Legend = trendLegends(plot.Left, slices.ContainsFunc(values, func(v HistoryCAL) bool { return v.Shortfall > 0 }))
	for _, i := range spreadIndexes(len(points), trendMaxDates) {
		anchor := "middle"
		switch i {
		case 0:
			anchor = "start"
		case len(points) - 1:
			anchor = "end"
		}
		ch.Dates = append(ch.Dates, trendTick{Pos: x(i), Label: shortDate(points[i].GeneratedAt), Anchor: anchor})
	}
	return ch
}

// trendLegends explains the dashed and solid lines and the marker colours;
// the colour of a shortfall only where the chart shows one.
func trendLegends(left int, short bool) []trendLegend {
	const lineW, y = 24, 14
	items := []struct {
		dashed bool
		class  string
		text   string
		width  int // of the entry, text included
	}{
		{true, "required", "required", 110},
		{false, "owned", "owned", 90},
		{false, "short", "owned, short of required", 0},
	}
	if !short {
		items = items[:2]
	}
	out := make([]trendLegend, len(items))
	x := left
	for i, it := range items {
		m := newTrendMarker(x+lineW/2, y, it.class, "")
		out[i] = trendLegend{
			LineX1: x, LineX2: x + lineW, LineY: y, Dashed: it.dashed,
			MarkerX: m.X, MarkerY: m.Y, Class: it.class,
			TextX: x + lineW + 6, TextY: y + 4, Text: it.text,
		}
		x += it.width
	}
	return out
}

// newTrendMarker is a square centred on the point (cx, cy).
func newTrendMarker(cx, cy int, class, description string) trendMarker {
	return trendMarker{X: cx - trendMarkerSize/2, Y: cy - trendMarkerSize/2, Class: class, Description: description}
}

func shortfallNote(n int) string {
	if n == 0 {
		return ""
	}
	return ", " + rules.FormatCount(n) + " short"
}

// niceCeiling is the smallest 1, 2 or 5 times a power of ten that is at
// least n (and at least 1), so that the top value line has a round label.
func niceCeiling(n int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*p >= n {
				return m * p
			}
		}
	}
}

// spreadIndexes picks at most k of the indexes 0…n-1, evenly spread and
// always including the first and the last.
func spreadIndexes(n, k int) []int {
	if n <= k {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := make([]int, k)
	for j := range out {
		out[j] = j * (n - 1) / (k - 1)
	}
	return out
}

// MarkerSize is the side of a point's square marker.
func (trendChart) MarkerSize() int { return trendMarkerSize }
