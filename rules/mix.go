package rules

import "math"

// bipartite is a graph between left vertices (users) and right vertices
// (devices), its edges in compressed rows: the neighbours of left vertex u
// are adj[start[u]:start[u+1]].
type bipartite struct {
	nRight int
	start  []int32 // len = left vertices + 1
	adj    []int32
}

func (g *bipartite) nLeft() int { return len(g.start) - 1 }

func (g *bipartite) neighbours(u int32) []int32 { return g.adj[g.start[u]:g.start[u+1]] }

const unmatched = -1

// maxMatching finds a maximum matching with Hopcroft–Karp: phases of a
// breadth-first layering from the free left vertices, then vertex-disjoint
// shortest augmenting paths along it. Both searches are iterative, so a
// million-vertex graph needs no deep call stack. matchL[u] is u's partner
// on the right, matchR[v] v's on the left, or unmatched.
func (g *bipartite) maxMatching() (matchL, matchR []int32) {
	n := g.nLeft()
	matchL, matchR = make([]int32, n), make([]int32, g.nRight)
	for i := range matchL {
		matchL[i] = unmatched
	}
	for i := range matchR {
		matchR[i] = unmatched
	}
	h := hopcroftKarp{g: g, matchL: matchL, matchR: matchR, dist: make([]int32, n), next: make([]int32, n)}
	for h.layer() {
		copy(h.next, g.start[:n])
		for u := range int32(n) {
			if matchL[u] == unmatched {
				h.augment(u)
			}
		}
	}
	return matchL, matchR
}

type hopcroftKarp struct {
	g              *bipartite
	matchL, matchR []int32
	dist           []int32 // BFS layer of each left vertex; infinite when off the layering
	next           []int32 // per left vertex: the next edge to try in this phase
	queue, stack   []int32
	freeLayer      int32 // layer at which the shortest augmenting paths end
}

const infinite = math.MaxInt32

// layer numbers the left vertices by alternating distance from the free
// ones and reports whether a free right vertex can be reached.
func (h *hopcroftKarp) layer() bool {
	h.queue = h.queue[:0]
	for u, v := range h.matchL {
		if v == unmatched {
			h.dist[u] = 0
			h.queue = append(h.queue, int32(u))
		} else {
			h.dist[u] = infinite
		}
	}
	h.freeLayer = infinite
	for i := 0; i < len(h.queue); i++ {
		u := h.queue[i]
		if h.dist[u] >= h.freeLayer {
			continue
		}
		for _, v := range h.g.neighbours(u) {
			w := h.matchR[v]
			switch {
			case w == unmatched:
				if h.freeLayer == infinite {
					h.freeLayer = h.dist[u] + 1
				}
			case h.dist[w] == infinite:
				h.dist[w] = h.dist[u] + 1
				h.queue = append(h.queue, w)
			}
		}
	}
	return h.freeLayer != infinite
}

// augment searches depth-first, with an explicit stack, for a shortest
// augmenting path from the free left vertex root and flips it if found.
func (h *hopcroftKarp) augment(root int32) bool {
	g := h.g
	h.stack = append(h.stack[:0], root)
	for len(h.stack) > 0 {
		u := h.stack[len(h.stack)-1]
		if h.next[u] == g.start[u+1] {
			h.dist[u] = infinite // a dead end for the rest of this phase
			h.stack = h.stack[:len(h.stack)-1]
			continue
		}
		v := g.adj[h.next[u]]
		h.next[u]++
		w := h.matchR[v]
		switch {
		case w == unmatched && h.dist[u]+1 == h.freeLayer:
			// Each vertex on the stack is matched to the right vertex it
			// last stepped through.
			for _, x := range h.stack {
				y := g.adj[h.next[x]-1]
				h.matchL[x], h.matchR[y] = y, x
			}
			return true
		case w != unmatched && h.dist[w] == h.dist[u]+1:
			h.stack = append(h.stack, w)
		}
	}
	return false
}

// minVertexCover is a minimum vertex cover, by König's theorem: with Z the
// vertices reachable from free left vertices by alternating paths (any edge
// left to right, matching edges right to left), the cover is the left
// vertices outside Z and the right vertices inside it. Its size equals the
// maximum matching's.
func (g *bipartite) minVertexCover() (left, right []bool) {
	matchL, matchR := g.maxMatching()
	n := g.nLeft()
	reachedL, reachedR := make([]bool, n), make([]bool, g.nRight)
	queue := make([]int32, 0, n)
	for u := range int32(n) {
		if matchL[u] == unmatched {
			reachedL[u] = true
			queue = append(queue, u)
		}
	}
	for i := 0; i < len(queue); i++ {
		for _, v := range g.neighbours(queue[i]) {
			if reachedR[v] {
				continue
			}
			reachedR[v] = true
			if w := matchR[v]; w != unmatched && !reachedL[w] {
				reachedL[w] = true
				queue = append(queue, w)
			}
		}
	}
	left = make([]bool, n)
	for u := range left {
		left[u] = !reachedL[u]
	}
	return left, reachedR
}
