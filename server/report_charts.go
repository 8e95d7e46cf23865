package server

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Charts are inline SVG built here from numbers and escaped labels: no
// scripts, no outside requests, no style attributes (the CSP forbids them),
// only SVG presentation attributes. Each chart is an image with a title and
// a description for screen readers; the page shows the same figures as a
// table beside it.

// chartColors are dark and light so that two series stay apart in print.
var chartColors = []string{"#0b5cad", "#8fb8e3", "#1f7a3d", "#b3261e", "#8a5a00"}

// chart is a bar chart: categories along one axis, one bar per series.
type chart struct {
	ID     string // unique on the page, for the title and description ids
	Title  string
	Desc   string
	Series []string // legend
	Labels []string // categories
	// SubLabels are optional second lines under the labels (Columns only).
	SubLabels []string
	Values    [][]float64 // [series][category]
	Format    func(float64) string
}

func esc(s string) string { return template.HTMLEscapeString(s) }

func (c chart) max() float64 {
	m := 0.0
	for _, s := range c.Values {
		for _, v := range s {
			m = math.Max(m, v)
		}
	}
	return m
}

func (c chart) format(v float64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	return fmt.Sprintf("%g", v)
}

func (c chart) open(b *strings.Builder, w, h int) {
	fmt.Fprintf(b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t %s-d" preserveAspectRatio="xMinYMin meet">`,
		w, h, esc(c.ID), esc(c.ID))
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, esc(c.ID), esc(c.Title), esc(c.ID), esc(c.Desc))
}

func (c chart) legend(b *strings.Builder, y int) {
	if len(c.Series) < 2 {
		return
	}
	x := 0
	for i, s := range c.Series {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="13" height="13" fill="%s" stroke="#1d2733" stroke-width="0.5"/>`, x, y, chartColors[i%len(chartColors)])
		fmt.Fprintf(b, `<text x="%d" y="%d" font-size="13" fill="#1d2733">%s</text>`, x+17, y+11, esc(s))
		x += 24 + 8*len([]rune(s))
	}
}

// Columns draws vertical grouped bars, for a series over months. Sub
// labels (such as the year) go on a second line under the labels.
func (c chart) Columns() template.HTML {
	const h, top, bottom, left = 240, 30, 44, 4
	n := len(c.Labels)
	groups := max(n, 1)
	group := 54
	w := left + groups*group + 4
	var b strings.Builder
	c.open(&b, w, h)
	c.legend(&b, 4)
	m := c.max()
	plot := float64(h - top - bottom)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#8a96a3" stroke-width="1"/>`, left, h-bottom, w-4, h-bottom)
	series := max(len(c.Values), 1)
	bar := (group - 8) / series
	for i := range n {
		x0 := left + i*group + 4
		for s := range c.Values {
			v := c.Values[s][i]
			bh := 0.0
			if m > 0 {
				bh = v / m * (plot - 16)
			}
			x := x0 + s*bar
			y := float64(h-bottom) - bh
			fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s" stroke="#1d2733" stroke-width="0.5"/>`,
				x, y, bar-2, bh, chartColors[s%len(chartColors)])
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" fill="#1d2733">%s</text>`,
				float64(x)+float64(bar-2)/2, y-4, esc(c.format(v)))
		}
		mid := float64(x0) + float64(group-8)/2
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="13" text-anchor="middle" fill="#1d2733">%s</text>`, mid, h-bottom+17, esc(c.Labels[i]))
		if i < len(c.SubLabels) && c.SubLabels[i] != "" {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12" text-anchor="middle" fill="#5b6776">%s</text>`, mid, h-bottom+33, esc(c.SubLabels[i]))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Bars draws horizontal bars with their labels, for categories such as
// phases, ages or people.
func (c chart) Bars() template.HTML {
	const row, labelW, valueW, barW = 26, 170, 70, 300
	n := len(c.Labels)
	top := 4
	if len(c.Series) > 1 {
		top = 24
	}
	series := max(len(c.Values), 1)
	h := top + n*row*series + 4
	w := labelW + barW + valueW
	var b strings.Builder
	c.open(&b, w, h)
	c.legend(&b, 4)
	m := c.max()
	for i := range n {
		y0 := top + i*row*series
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end" fill="#1d2733">%s</text>`,
			labelW-8, y0+row/2+4, esc(truncate(c.Labels[i], 26)))
		for s := range c.Values {
			v := c.Values[s][i]
			bw := 0.0
			if m > 0 {
				bw = v / m * barW
			}
			y := y0 + s*row
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s" stroke="#1d2733" stroke-width="0.5"/>`,
				labelW, y+4, bw, row-8, chartColors[s%len(chartColors)])
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12" fill="#1d2733">%s</text>`, float64(labelW)+bw+6, y+row/2+4, esc(c.format(v)))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
