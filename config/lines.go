package config

import (
	"strconv"
	"strings"
)

// keyLines finds where keys stand in a TOML file, so that a problem found
// after decoding can still name its line. BurntSushi/toml keeps positions to
// itself, so this reads the simple layout calscan.toml uses: [table] and
// [[array]] headers followed by key = value lines.
type keyLines struct {
	lines []string
}

func newKeyLines(text string) keyLines {
	return keyLines{lines: strings.Split(text, "\n")}
}

// line returns the 1-based line of a key such as "directory[2].url",
// "scope.stale_after_days", "cal[1]" (the block's header) or "model"
// (top level). A key missing from a numbered block gives the block's header
// line; anything else not found gives 0.
func (k keyLines) line(key string) int {
	table, index, field := splitKey(key)
	current, seen, block := "", map[string]int{}, 0
	for i, raw := range k.lines {
		l := strings.TrimSpace(raw)
		if strings.HasPrefix(l, "[") {
			if block > 0 { // the key is not in its block: name the block instead
				return block
			}
			name, isArray := header(l)
			current = name
			if isArray {
				seen[name]++
			}
			if name == table && (index == 0 || seen[name] == index) {
				if field == "" {
					return i + 1
				}
				if index > 0 {
					block = i + 1
				}
			}
			continue
		}
		if current != table || (index > 0 && seen[current] != index) {
			continue
		}
		if name, _, ok := strings.Cut(l, "="); ok && strings.Trim(strings.TrimSpace(name), `"'`) == field {
			return i + 1
		}
	}
	return block
}

// splitKey turns "directory[2].url" into ("directory", 2, "url").
func splitKey(key string) (table string, index int, field string) {
	head, field, found := strings.Cut(key, ".")
	if !found {
		if strings.Contains(head, "[") {
			field = ""
		} else {
			return "", 0, head
		}
	}
	if open := strings.IndexByte(head, '['); open >= 0 {
		index, _ = strconv.Atoi(strings.TrimSuffix(head[open+1:], "]"))
		head = head[:open]
	}
	return head, index, field
}

// header reads a "[name]" or "[[name]]" line, ignoring a trailing comment.
func header(l string) (name string, isArray bool) {
	if c := strings.IndexByte(l, '#'); c >= 0 {
		l = strings.TrimSpace(l[:c])
	}
	isArray = strings.HasPrefix(l, "[[")
	return strings.TrimSpace(strings.Trim(l, "[]")), isArray
}
