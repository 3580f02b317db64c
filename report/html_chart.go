package report

import (
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
				Text:        formatInt(b.n) + " " + b.what,
				Class:       b.class,
				Description: label + " CALs " + b.what + ": " + formatInt(b.n),
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
