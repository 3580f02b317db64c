package rules

import "testing"

func TestExitCode(t *testing.T) {
	t.Parallel()
	withFindings := func(sevs ...Severity) *Result {
		r := &Result{}
		for _, s := range sevs {
			r.Findings = append(r.Findings, Finding{Code: "X", Severity: s})
		}
		return r
	}
	tests := []struct {
		name   string
		result *Result
		failOn Severity
		want   int
	}{
		{"R1 violation fails on violation", withFindings(SeverityViolation), SeverityViolation, 1},
		{"R1 warning does not fail on violation", withFindings(SeverityWarning, SeverityInfo), SeverityViolation, 0},
		{"R1 warning fails on warning", withFindings(SeverityInfo, SeverityWarning), SeverityWarning, 1},
		{"R1 violation fails on warning", withFindings(SeverityViolation), SeverityWarning, 1},
		{"R1 info fails on info", withFindings(SeverityInfo), SeverityInfo, 1},
		{"R1 never does not fail", withFindings(SeverityViolation), FailNever, 0},
		{"R1 empty threshold does not fail", withFindings(SeverityViolation), "", 0},
		{"R1 unknown threshold acts as violation", withFindings(SeverityViolation), "bogus", 1},
		{"R1 unknown threshold ignores warnings", withFindings(SeverityWarning), "bogus", 0},
		{"R1 no findings", withFindings(), SeverityInfo, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.result.ExitCode(tc.failOn); got != tc.want {
				t.Errorf("ExitCode(%q) = %d, want %d", tc.failOn, got, tc.want)
			}
		})
	}
}
