package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
)

// Load reads, decodes and validates a configuration file. Every problem is
// reported at once, each naming its key and line; the error is an *Error.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	return Parse(path, string(data), os.LookupEnv)
}

// Parse decodes and validates configuration text. path is used in messages
// and to resolve relative file names; lookupEnv resolves password_env.
func Parse(path, text string, lookupEnv func(string) (string, bool)) (*Config, error) {
	var f File
	md, err := toml.Decode(text, &f)
	if err != nil {
		if p, ok := typeProblem(err); ok {
			return nil, &Error{Path: path, Problems: []Problem{p}}
		}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{Path: path, Err: errors.New(positionError(pe))}
		}
		return nil, &Error{Path: path, Err: err}
	}
	lines := newKeyLines(text)
	v := &validator{
		path:      path,
		dir:       filepath.Dir(path),
		lines:     lines,
		lookupEnv: lookupEnv,
	}
	for _, k := range md.Undecoded() {
		key := undecodedKey(k)
		v.problem(key, fmt.Sprintf("unknown key %q (check the spelling against config.example.toml)", k[len(k)-1]))
	}
	cfg := v.config(&f)
	if len(v.problems) > 0 {
		return nil, &Error{Path: path, Problems: v.problems}
	}
	return cfg, nil
}

// undecodedKey renders a TOML key path the way problems name keys. Array
// tables carry no index in TOML's key path; the line finder then takes the
// first block that has the key.
func undecodedKey(k toml.Key) string {
	return strings.Join(quotedKey(k), ".")
}

// quotedKey quotes the parts of a key that are not bare TOML keys ("" or
// "a b"), as they are written in the file.
func quotedKey(k toml.Key) []string {
	parts := make([]string, len(k))
	for i, p := range k {
		parts[i] = toml.Key{p}.String()
	}
	return parts
}

// positionError is pe.ErrorWithPosition: the message with the line and a
// marker under the mistake. For a mistake it places at line 0 (a file that
// is nothing but `"\`) the library indexes out of range instead; the
// message then says where it is in words.
func positionError(pe toml.ParseError) (msg string) {
	defer func() {
		if recover() != nil {
			msg = "toml: " + pe.Message + " (at the start of the file)"
		}
	}()
	return pe.ErrorWithPosition()
}
