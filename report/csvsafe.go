package report

import (
	"strings"
	"unicode"
)

// neutralise stops a spreadsheet from reading a cell as a formula (CSV
// injection): directory strings are attacker-controlled, and Excel evaluates
// cells that begin with = + - @, a tab or a carriage return, even after
// leading spaces. Such cells get a leading single quote, which Excel hides.
func neutralise(cell string) string {
	if cell == "" {
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
