package adsim

import (
	"testing"
	"time"
)

func TestFileTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "133485408000000000"},
		{time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC), "0"},
		{time.Date(2024, 1, 1, 0, 0, 0, 1234567, time.UTC), "133485408000012345"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := fileTime(tt.in); got != tt.want {
				t.Errorf("fileTime(%s) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
	if got := generalizedTime(time.Date(2024, 1, 1, 1, 2, 3, 0, time.FixedZone("CET", 3600))); got != "20240101000203.0Z" {
		t.Errorf("generalizedTime = %s", got)
	}
}

func TestParseSIDString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"S-1-5-21-1-2-3-1105", encodeSID(21, 1, 2, 3, 1105), true},
		{"s-1-5-32-544", encodeSID(32, 544), true},
		{"S-1-5", encodeSID(), true},
		{"S-1-5-21-x", "", false},
		{"S-2-5-21", "", false},
		{"S-1-5-4294967296", "", false},
		{"CN=a", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseSIDString(tt.in)
			if ok != tt.ok || got != tt.want {
				t.Errorf("parseSIDString(%q) = %x, %v; want %x, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
