package rules

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// graphOf builds a bipartite graph from edges given as [left, right].
func graphOf(nLeft, nRight int, edges [][2]int32) *bipartite {
	slices.SortFunc(edges, func(a, b [2]int32) int {
		if a[0] != b[0] {
			return int(a[0] - b[0])
		}
		return int(a[1] - b[1])
	})
	edges = slices.Compact(edges)
	g := &bipartite{nRight: nRight, start: make([]int32, nLeft+1)}
	for _, e := range edges {
		g.start[e[0]+1]++
		g.adj = append(g.adj, e[1])
	}
	for u := range nLeft {
		g.start[u+1] += g.start[u]
	}
	return g
}

// bruteForceCover is the size of a minimum vertex cover found by trying
// every set S of left vertices: the right side must then hold every
// neighbour of the left vertices outside S.
func bruteForceCover(g *bipartite) int {
	n := g.nLeft()
	best := n + g.nRight
	for s := uint32(0); s < 1<<n; s++ {
		var right [64]bool
		size := bits.OnesCount32(s)
		for u := range n {
			if s&(1<<u) != 0 {
				continue
			}
			for _, v := range g.neighbours(int32(u)) {
				if !right[v] {
					right[v] = true
					size++
				}
			}
		}
		best = min(best, size)
	}
	return best
}

func checkMatching(t *testing.T, g *bipartite, matchL, matchR []int32) int {
	t.Helper()
	size := 0
	for u, v := range matchL {
		if v == unmatched {
			continue
		}
		size++
		if matchR[v] != int32(u) || !slices.Contains(g.neighbours(int32(u)), v) {
			t.Fatalf("matching pairs %d with %d, which is not an edge or not mutual", u, v)
		}
	}
	for v, u := range matchR {
		if u != unmatched && matchL[u] != int32(v) {
			t.Fatalf("right %d claims left %d, which is matched to %d", v, u, matchL[u])
		}
	}
	return size
}

func checkCover(t *testing.T, g *bipartite, left, right []bool) int {
	t.Helper()
	for u := range g.nLeft() {
		for _, v := range g.neighbours(int32(u)) {
			if !left[u] && !right[v] {
				t.Fatalf("edge %d-%d is not covered", u, v)
			}
		}
	}
	size := 0
	for _, in := range slices.Concat(left, right) {
		if in {
			size++
		}
	}
	return size
}

func TestMinVertexCoverAgainstBruteForce(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2026, 11))
	const cases = 600
	for c := range cases {
		nLeft, nRight := rng.IntN(11)+1, rng.IntN(14)+1
		density := rng.Float64()
		var edges [][2]int32
		for u := range nLeft {
			for v := range nRight {
				if rng.Float64() < density*density {
					edges = append(edges, [2]int32{int32(u), int32(v)})
				}
			}
		}
		g := graphOf(nLeft, nRight, edges)
		t.Run(fmt.Sprintf("§5 random graph %d: %dx%d, %d edges", c, nLeft, nRight, len(g.adj)), func(t *testing.T) {
			want := bruteForceCover(g)
			matchL, matchR := g.maxMatching()
			if got := checkMatching(t, g, matchL, matchR); got != want {
				t.Errorf("maximum matching %d, minimum cover %d: König says they are equal", got, want)
			}
			left, right := g.minVertexCover()
			if got := checkCover(t, g, left, right); got != want {
				t.Errorf("cover of %d, brute force finds %d", got, want)
			}
		})
	}
}

func TestMinVertexCoverShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		nLeft, nRight int
		edges         [][2]int32
		wantLeft      []int // left vertices in the cover
		wantRight     []int
	}{
		{"§5 no edges: empty cover", 3, 2, nil, nil, nil},
		{"§5 a shared kiosk: one device covers its users", 4, 1,
			[][2]int32{{0, 0}, {1, 0}, {2, 0}, {3, 0}}, nil, []int{0}},
		{"§5 a roaming user: one user covers their devices", 1, 3,
			[][2]int32{{0, 0}, {0, 1}, {0, 2}}, []int{0}, nil},
		{"§5 one to one: one CAL per pair, ties go to User CALs", 2, 2,
			[][2]int32{{0, 0}, {1, 1}}, []int{0, 1}, nil},
		{"§5 a complete 2x3 graph: the smaller side", 2, 3,
			[][2]int32{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}}, []int{0, 1}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := graphOf(tc.nLeft, tc.nRight, tc.edges)
			left, right := g.minVertexCover()
			if got := trueAt(left); !slices.Equal(got, tc.wantLeft) {
				t.Errorf("left cover %v, want %v", got, tc.wantLeft)
			}
			if got := trueAt(right); !slices.Equal(got, tc.wantRight) {
				t.Errorf("right cover %v, want %v", got, tc.wantRight)
			}
		})
	}
}

func trueAt(s []bool) []int {
	var out []int
	for i, b := range s {
		if b {
			out = append(out, i)
		}
	}
	return out
}

// A long alternating path needs augmenting paths through every vertex; a
// recursive search would need a call per vertex.
func TestMaxMatchingLongPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    int
	}{
		{"§5 path of 200,000 users and devices", 200_000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// User i uses devices D(i) and D(i+1), D(k) = n-1-k, so the
			// first phase matches every user to D(i+1) and leaves the last
			// user and D(0) free: one augmenting path through all of them.
			d := func(k int) int32 { return int32(tc.n - 1 - k) }
			var edges [][2]int32
			for i := range tc.n {
				edges = append(edges, [2]int32{int32(i), d(i)})
				if i+1 < tc.n {
					edges = append(edges, [2]int32{int32(i), d(i + 1)})
				}
			}
			g := graphOf(tc.n, tc.n, edges)
			matchL, matchR := g.maxMatching()
			if got := checkMatching(t, g, matchL, matchR); got != tc.n {
				t.Errorf("matching of %d, want a perfect matching of %d", got, tc.n)
			}
			left, right := g.minVertexCover()
			if got := checkCover(t, g, left, right); got != tc.n {
				t.Errorf("cover of %d, want %d", got, tc.n)
			}
		})
	}
}
