package report

import (
	"strings"
	"unicode"
)

// neutralise stops a spreadsheet from reading a cell as a formula (CSV
// injection): directory strings are attacker-controlled, and Excel evaluates
// cells that begin with = + - @, a tab or a carriage return, even after
// leading spaces. Such cells get a leading single quote, which Excel hides.
// A plain number such as "-70" is left alone: Excel reads it as the number
// it is, and a quote would turn it into text that sums and scripts trip on.
func neutralise(cell string) string {
	if cell == "" || plainNumber(cell) {
		return cell
	}
	if cell[0] == '\t' || cell[0] == '\r' {
		return "'" + cell
	}
	trimmed := strings.TrimLeftFunc(cell, unicode.IsSpace)
	if trimmed != "" && strings.ContainsRune("=+-@", rune(trimmed[0])) {
		return "'" + cell
	}
	return cell
}

// plainNumber reports whether cell is an optionally negative decimal number
// with nothing else in it ("-70", "12.5"), which no spreadsheet runs.
func plainNumber(cell string) bool {
	digits := strings.TrimPrefix(cell, "-")
	if digits == "" || digits[0] == '.' || digits[len(digits)-1] == '.' {
		return false
	}
	dot := false
	for _, r := range digits {
		switch {
		case r == '.' && !dot:
			dot = true
		case r < '0' || r > '9':
			return false
		}
	}
	return true
}
