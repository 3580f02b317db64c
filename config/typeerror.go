package config

import (
	"regexp"
	"strconv"
	"strings"
)

// BurntSushi/toml reports a value of the wrong type as plain text:
//
//	toml: line 3 (last key "directory.page_size"): incompatible types: TOML value has type string; destination has type integer
//
// typeProblem turns that into a Problem in the words of the file.
var incompatibleType = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): incompatible types: TOML value has type (\S+); destination has type (\S+)$`)

// blockTables are the keys written as [[name]] blocks, one per item.
var blockTables = map[string]string{
	"directory":     "one block per domain or export",
	"server":        "one block per server",
	"cal":           "one block per CAL type and version",
	"core_licenses": "one block per edition and version",
}

func typeProblem(err error) (Problem, bool) {
	m := incompatibleType.FindStringSubmatch(err.Error())
	if m == nil {
		return Problem{}, false
	}
	line, _ := strconv.Atoi(m[1])
	key, got, want := m[2], m[3], m[4]
	if why, ok := blockTables[key]; ok && want == "slice" {
		return Problem{Key: key, Line: line,
			Msg: "write [[" + key + "]] (" + why + "), not [" + key + "]"}, true
	}
	return Problem{Key: key, Line: line, Msg: "is " + tomlTypeName(got) + "; it must be " + tomlTypeName(want)}, true
}

// tomlTypeName says what a TOML value of a decoder's type looks like.
func tomlTypeName(t string) string {
	switch {
	case t == "string":
		return `text in quotes ("…")`
	case t == "integer" || strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint"):
		return "a whole number"
	case strings.HasPrefix(t, "float"):
		return "a number with a decimal point"
	case t == "bool" || t == "boolean":
		return "true or false"
	case t == "slice" || strings.HasPrefix(t, "[]"):
		return "a list ([…])"
	case strings.HasPrefix(t, "map"):
		return "a table"
	case strings.Contains(t, "Time") || strings.Contains(t, "Date"):
		return "a date"
	}
	return t
}
