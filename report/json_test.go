package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/calscan/calscan/rules"
)

func TestJSONGolden(t *testing.T) {
	checkGolden(t, JSONFile, render(t, &JSON{}, JSONFile, sampleReport()))
}

func TestJSONLayout(t *testing.T) {
	got := render(t, &JSON{}, JSONFile, sampleReport())
	if !bytes.HasSuffix(got, []byte("}\n")) {
		t.Errorf("report.json does not end with a newline: %q", got[max(0, len(got)-10):])
	}
	if !bytes.HasPrefix(got, []byte("{\n  \"schema_version\": 1,\n")) {
		t.Errorf("report.json is not indented or does not start with schema_version: %q", got[:min(len(got), 40)])
	}
	if !bytes.Contains(got, []byte(`"display_name": "José Müller"`)) {
		t.Error("display names are not written as readable UTF-8")
	}
}

// TestJSONSchema decodes report.json generically and checks every field that
// SPEC.md fixes for schema_version 1, with its JSON type.
func TestJSONSchema(t *testing.T) {
	tests := []struct {
		name      string
		res       *rules.Result
		wantItems bool // cals, servers and findings are not empty
	}{
		{"sample", sampleResult(), true},
		{"empty result", &rules.Result{}, false},
		{"nil result", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(render(t, &JSON{}, JSONFile, New(tt.res, generatedAt, "0.1.0")), &doc); err != nil {
				t.Fatalf("report.json is not JSON: %v", err)
			}
			s := schemaChecker{t: t}
			if v := s.number(doc, "schema_version"); v != 1 {
				t.Errorf("schema_version = %v, want 1", v)
			}
			if ts := s.str(doc, "generated_at"); ts != "" {
				if _, err := time.Parse(time.RFC3339, ts); err != nil {
					t.Errorf("generated_at %q is not RFC 3339: %v", ts, err)
				}
			}
			s.boolean(doc, "compliant")

			counts := s.object(doc, "counts")
			for _, k := range []string{"users_seen", "users_counted", "devices_seen", "devices_counted", "servers_seen"} {
				s.number(counts, k)
			}
			excluded := s.object(counts, "excluded")
			keys := []string{"disabled", "stale", "expired", "excluded_account", "excluded_ou", "admin_exempt", "not_in_scope_group", "builtin"}
			for _, k := range keys {
				s.number(excluded, k)
			}
			if len(excluded) != len(keys) {
				t.Errorf("counts.excluded has %d keys, want the %d of SPEC.md: %v", len(excluded), len(keys), excluded)
			}

			cals, servers, findings := s.objects(doc, "cals"), s.objects(doc, "servers"), s.objects(doc, "findings")
			if got := len(cals) > 0 && len(servers) > 0 && len(findings) > 0; got != tt.wantItems {
				t.Errorf("%d cals, %d servers, %d findings; want items: %v", len(cals), len(servers), len(findings), tt.wantItems)
			}
			for _, c := range cals {
				s.str(c, "type")
				s.str(c, "min_version")
				for _, k := range []string{"required", "owned", "shortfall", "surplus"} {
					s.number(c, k)
				}
				for _, v := range s.objects(c, "by_version") {
					s.str(v, "version")
					s.number(v, "required")
					s.number(v, "owned")
				}
			}
			for _, sv := range servers {
				for _, k := range []string{"name", "dns_name", "operating_system", "edition", "version", "source"} {
					s.str(sv, k)
				}
				s.boolean(sv, "needs_cals")
			}
			for _, f := range findings {
				s.str(f, "code")
				s.str(f, "message")
				if sev := s.str(f, "severity"); sev != "violation" && sev != "warning" && sev != "info" {
					t.Errorf("finding severity %q is not violation, warning or info", sev)
				}
				for _, subject := range s.array(f, "subjects") {
					if _, ok := subject.(string); !ok {
						t.Errorf("finding subject %v is %T, want string", subject, subject)
					}
				}
			}
			for _, k := range []string{"directories", "users", "devices"} {
				s.array(doc, k)
			}
		})
	}
}

func TestJSONSampleValues(t *testing.T) {
	var doc struct {
		GeneratedAt string `json:"generated_at"`
		Tool        string `json:"tool"`
		CALs        []struct {
			Type      string `json:"type"`
			Shortfall int    `json:"shortfall"`
		} `json:"cals"`
		Findings []struct {
			Code     string   `json:"code"`
			Subjects []string `json:"subjects"`
		} `json:"findings"`
	}
	got := render(t, &JSON{}, JSONFile, sampleReport())
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.GeneratedAt != "2026-11-26T10:00:00Z" {
		t.Errorf("generated_at = %q", doc.GeneratedAt)
	}
	if doc.Tool != "calscan 0.1.0" {
		t.Errorf("tool = %q", doc.Tool)
	}
	if len(doc.CALs) != 3 || doc.CALs[0].Type != "user" || doc.CALs[0].Shortfall != 68 {
		t.Errorf("cals = %+v", doc.CALs)
	}
	// The TLS finding was built with nil subjects: it must read as [].
	if !strings.Contains(string(got), `"subjects": []`) {
		t.Error(`a finding with no subjects is not written as "subjects": []`)
	}
}

// schemaChecker asserts that a key exists with a JSON type.
type schemaChecker struct{ t *testing.T }

func (s schemaChecker) get(m map[string]any, key string) (any, bool) {
	s.t.Helper()
	v, ok := m[key]
	if !ok {
		s.t.Errorf("missing key %q", key)
	}
	return v, ok
}

func (s schemaChecker) number(m map[string]any, key string) float64 {
	s.t.Helper()
	v, ok := s.get(m, key)
	n, isNum := v.(float64)
	if ok && !isNum {
		s.t.Errorf("%q is %T (%v), want a number", key, v, v)
	}
	return n
}

func (s schemaChecker) str(m map[string]any, key string) string {
	s.t.Helper()
	v, ok := s.get(m, key)
	str, isStr := v.(string)
	if ok && !isStr {
		s.t.Errorf("%q is %T (%v), want a string", key, v, v)
	}
	return str
}

func (s schemaChecker) boolean(m map[string]any, key string) {
	s.t.Helper()
	v, ok := s.get(m, key)
	if _, isBool := v.(bool); ok && !isBool {
		s.t.Errorf("%q is %T (%v), want a boolean", key, v, v)
	}
}

func (s schemaChecker) object(m map[string]any, key string) map[string]any {
	s.t.Helper()
	v, ok := s.get(m, key)
	obj, isObj := v.(map[string]any)
	if ok && !isObj {
		s.t.Errorf("%q is %T (%v), want an object", key, v, v)
	}
	return obj
}

// array also rejects null: empty lists are [].
func (s schemaChecker) array(m map[string]any, key string) []any {
	s.t.Helper()
	v, ok := s.get(m, key)
	arr, isArr := v.([]any)
	if ok && !isArr {
		s.t.Errorf("%q is %T (%v), want an array", key, v, v)
	}
	return arr
}

func (s schemaChecker) objects(m map[string]any, key string) []map[string]any {
	s.t.Helper()
	var out []map[string]any
	for i, v := range s.array(m, key) {
		obj, ok := v.(map[string]any)
		if !ok {
			s.t.Errorf("%s[%d] is %T, want an object", key, i, v)
			continue
		}
		out = append(out, obj)
	}
	return out
}

// TestJSONStreamsLikeTheEncoder: streaming the account lists must give the
// very bytes encoding/json gives for the whole report.
func TestJSONStreamsLikeTheEncoder(t *testing.T) {
	many := sampleResult()
	many.Users, many.Devices = rules.NewAccounts(manyAccounts(50, "user")), rules.NewAccounts(manyAccounts(3, "pc"))
	many.Users.List()[7].DisplayName = "line\nbreak \"quoted\" <b>&</b>\n  \"devices\": ["
	noDevices := sampleResult()
	noDevices.Devices = rules.Accounts{}

	tests := []struct {
		name string
		r    *Report
	}{
		{"sample", sampleReport()},
		{"many accounts, hostile name", New(many, generatedAt, "0.1.0")},
		{"no devices", New(noDevices, generatedAt, "0.1.0")},
		{"empty", New(&rules.Result{}, generatedAt, "0.1.0")},
		{"report without a result", &Report{SchemaVersion: SchemaVersion}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want bytes.Buffer
			whole := tt.r
			if whole.Result == nil {
				whole = &Report{SchemaVersion: tt.r.SchemaVersion, Result: &rules.Result{Users: rules.NewAccounts([]rules.Account{}), Devices: rules.NewAccounts([]rules.Account{})}}
			}
			if err := newJSONEncoder(&want, "").Encode(whole); err != nil {
				t.Fatal(err)
			}
			if got := render(t, &JSON{}, JSONFile, tt.r); !bytes.Equal(got, want.Bytes()) {
				t.Errorf("streamed report.json differs from encoding/json's\n--- got ---\n%s\n--- want ---\n%s", got, want.Bytes())
			}
		})
	}
}
