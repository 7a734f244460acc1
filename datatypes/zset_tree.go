package datatypes

import "slices"

// ZMember is one member of a sorted set and its score.
type ZMember struct {
	Member string
	Score  float64
}

// zless orders members by (score, member), as Redis's skiplist does. A
// score of -0 equals 0 here, so their members decide.
func zless(a, b ZMember) bool {
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	return a.Member < b.Member
}

// Node capacity: a leaf holds at most zmaxFill members and a branch at most
// zmaxFill children; below zminFill a node is merged with or refilled from
// a sibling.
const (
	zmaxFill = 64
	zminFill = zmaxFill / 4
)

// ztree is an order-statistic B+tree of distinct ZMembers in zless order.
// Leaves hold the members; branches hold their children's sizes, so rank
// and index lookups cost O(log n) like Redis's skiplist spans.
//
// A branch's seps[i] separates children[i] and children[i+1]: every member
// below children[i] is less than seps[i], and seps[i] is at most every
// member below children[i+1]. Deleting a member may leave it behind as a
// separator, which keeps the invariant true.
//
// The zero ztree is empty and ready to use.
type ztree struct {
	root *znode
	n    int
}

// znode is a leaf (children == nil) or a branch.
type znode struct {
	members  []ZMember // leaf: sorted members
	children []*znode  // branch: subtrees in order
	sizes    []int     // branch: members below each child
	seps     []ZMember // branch: len(children)-1 separators
}

func (n *znode) leaf() bool { return n.children == nil }

// fill is the number of members (leaf) or children (branch).
func (n *znode) fill() int {
	if n.leaf() {
		return len(n.members)
	}
	return len(n.children)
}

// size is the number of members below n.
func (n *znode) size() int {
	if n.leaf() {
		return len(n.members)
	}
	total := 0
	for _, s := range n.sizes {
		total += s
	}
	return total
}

// lowerBound returns the index of the first member not less than m.
func lowerBound(members []ZMember, m ZMember) int {
	lo, hi := 0, len(members)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if zless(members[mid], m) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// route returns the child of branch n whose range holds m: the number of
// separators at most m.
func (n *znode) route(m ZMember) int {
	lo, hi := 0, len(n.seps)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if !zless(m, n.seps[mid]) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// Len returns the number of members.
func (t *ztree) Len() int { return t.n }

// insert adds m, which must not be present.
func (t *ztree) insert(m ZMember) {
	if t.root == nil {
		t.root = &znode{}
	}
	if sep, right := t.root.insert(m); right != nil {
		left := t.root
		t.root = &znode{
			children: []*znode{left, right},
			sizes:    []int{left.size(), right.size()},
			seps:     []ZMember{sep},
		}
	}
	t.n++
}

// insert adds m below n. When n overflows it splits, returning the new
// right sibling and the separator between them.
func (n *znode) insert(m ZMember) (ZMember, *znode) {
	if n.leaf() {
		i := lowerBound(n.members, m)
		n.members = slices.Insert(n.members, i, m)
		if len(n.members) > zmaxFill {
			return n.splitLeaf(i)
		}
		return ZMember{}, nil
	}
	j := n.route(m)
	n.sizes[j]++
	sep, right := n.children[j].insert(m)
	if right == nil {
		return ZMember{}, nil
	}
	n.children = slices.Insert(n.children, j+1, right)
	n.seps = slices.Insert(n.seps, j, sep)
	n.sizes[j] -= right.size()
	n.sizes = slices.Insert(n.sizes, j+1, right.size())
	if len(n.children) > zmaxFill {
		return n.splitBranch()
	}
	return ZMember{}, nil
}

// splitLeaf moves the upper part of a full leaf to a new right sibling.
// When the member just inserted at i is the last (or first), the split
// puts it alone on its side, so ascending (or descending) insertions fill
// leaves completely.
func (n *znode) splitLeaf(i int) (ZMember, *znode) {
	h := len(n.members) / 2
	switch i {
	case len(n.members) - 1:
		h = i
	case 0:
		h = 1
	}
	right := &znode{members: make([]ZMember, len(n.members)-h, zmaxFill+1)}
	copy(right.members, n.members[h:])
	clear(n.members[h:])
	n.members = n.members[:h]
	return right.members[0], right
}

// splitBranch moves the upper half of a full branch to a new sibling; the
// separator between the halves moves up.
func (n *znode) splitBranch() (ZMember, *znode) {
	h := len(n.children) / 2
	right := &znode{
		children: slices.Clone(n.children[h:]),
		sizes:    slices.Clone(n.sizes[h:]),
		seps:     slices.Clone(n.seps[h:]),
	}
	sep := n.seps[h-1]
	clear(n.children[h:])
	clear(n.seps[h-1:])
	n.children, n.sizes, n.seps = n.children[:h], n.sizes[:h], n.seps[:h-1]
	return sep, right
}

// delete removes m and reports whether it was present.
func (t *ztree) delete(m ZMember) bool {
	if t.root == nil || !t.root.delete(m) {
		return false
	}
	t.n--
	switch {
	case t.n == 0:
		t.root = nil
	case !t.root.leaf() && len(t.root.children) == 1:
		t.root = t.root.children[0]
	}
	return true
}

// delete removes m below n, then refills the child it came from if that
// child became too small.
func (n *znode) delete(m ZMember) bool {
	if n.leaf() {
		i := lowerBound(n.members, m)
		if i == len(n.members) || n.members[i].Member != m.Member {
			return false
		}
		n.members = slices.Delete(n.members, i, i+1)
		return true
	}
	j := n.route(m)
	if !n.children[j].delete(m) {
		return false
	}
	n.sizes[j]--
	if n.children[j].fill() < zminFill {
		n.rebalance(max(j-1, 0))
	}
	return true
}

// rebalance merges children l and l+1 when they fit in one node, and
// otherwise shares their contents evenly.
func (n *znode) rebalance(l int) {
	if l+1 >= len(n.children) {
		return
	}
	a, b := n.children[l], n.children[l+1]
	if a.fill()+b.fill() <= zmaxFill {
		n.merge(l, a, b)
		return
	}
	if a.leaf() {
		n.seps[l] = shareLeaves(a, b)
	} else {
		n.seps[l] = shareBranches(a, b, n.seps[l])
	}
	n.sizes[l], n.sizes[l+1] = a.size(), b.size()
}

// merge appends child l+1 (b) to child l (a) and drops b.
func (n *znode) merge(l int, a, b *znode) {
	if a.leaf() {
		a.members = append(a.members, b.members...)
	} else {
		a.seps = append(append(a.seps, n.seps[l]), b.seps...)
		a.children = append(a.children, b.children...)
		a.sizes = append(a.sizes, b.sizes...)
	}
	n.sizes[l] += n.sizes[l+1]
	n.children = slices.Delete(n.children, l+1, l+2)
	n.sizes = slices.Delete(n.sizes, l+1, l+2)
	n.seps = slices.Delete(n.seps, l, l+1)
}

// shareLeaves splits the members of leaves a and b evenly between them
// and returns the new separator.
func shareLeaves(a, b *znode) ZMember {
	all := append(slices.Clone(a.members), b.members...)
	h := len(all) / 2
	a.members = append(a.members[:0], all[:h]...)
	b.members = append(b.members[:0], all[h:]...)
	clear(a.members[len(a.members):cap(a.members)])
	clear(b.members[len(b.members):cap(b.members)])
	return b.members[0]
}

// shareBranches splits the children of branches a and b evenly between
// them; sep separated them and the returned separator replaces it.
func shareBranches(a, b *znode, sep ZMember) ZMember {
	children := append(slices.Clone(a.children), b.children...)
	sizes := append(slices.Clone(a.sizes), b.sizes...)
	seps := append(append(slices.Clone(a.seps), sep), b.seps...)
	h := len(children) / 2
	a.children, a.sizes, a.seps = children[:h:h], sizes[:h:h], seps[:h-1:h-1]
	b.children, b.sizes, b.seps = children[h:], sizes[h:], seps[h:]
	return seps[h-1]
}

// countBefore returns how many members satisfy before, which must hold for
// a prefix of the order (then the result is exact); for any other
// predicate the result is some count between 0 and Len().
func (t *ztree) countBefore(before func(ZMember) bool) int {
	n, acc := t.root, 0
	for n != nil && !n.leaf() {
		j := searchFalse(len(n.seps), func(i int) bool { return before(n.seps[i]) })
		for _, s := range n.sizes[:j] {
			acc += s
		}
		n = n.children[j]
	}
	if n == nil {
		return 0
	}
	return acc + searchFalse(len(n.members), func(i int) bool { return before(n.members[i]) })
}

// searchFalse returns the first i in [0, n) for which f is false, or n;
// f must be true then false.
func searchFalse(n int, f func(int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if f(mid) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// at returns the member of rank i, 0 <= i < Len().
func (t *ztree) at(i int) ZMember {
	n := t.root
	for !n.leaf() {
		j := 0
		for i >= n.sizes[j] {
			i -= n.sizes[j]
			j++
		}
		n = n.children[j]
	}
	return n.members[i]
}

// ascend calls fn on the members from rank from upwards until fn returns
// false or the members run out.
func (t *ztree) ascend(from int, fn func(ZMember) bool) {
	if t.root != nil && from < t.n {
		t.root.ascend(max(from, 0), fn)
	}
}

func (n *znode) ascend(from int, fn func(ZMember) bool) bool {
	if n.leaf() {
		for _, m := range n.members[from:] {
			if !fn(m) {
				return false
			}
		}
		return true
	}
	j := 0
	for from >= n.sizes[j] {
		from -= n.sizes[j]
		j++
	}
	for ; j < len(n.children); j++ {
		if !n.children[j].ascend(from, fn) {
			return false
		}
		from = 0
	}
	return true
}

// descend calls fn on the members from rank from downwards until fn
// returns false or the members run out.
func (t *ztree) descend(from int, fn func(ZMember) bool) {
	if t.root != nil && from >= 0 {
		t.root.descend(min(from, t.n-1), fn)
	}
}

func (n *znode) descend(from int, fn func(ZMember) bool) bool {
	if n.leaf() {
		for i := from; i >= 0; i-- {
			if !fn(n.members[i]) {
				return false
			}
		}
		return true
	}
	j := 0
	for from >= n.sizes[j] {
		from -= n.sizes[j]
		j++
	}
	for ; j >= 0; j-- {
		if !n.children[j].descend(from, fn) {
			return false
		}
		if j > 0 {
			from = n.sizes[j-1] - 1
		}
	}
	return true
}

// clone returns a deep copy of t. Member strings are immutable and shared.
func (t *ztree) clone() ztree {
	if t.root == nil {
		return ztree{}
	}
	return ztree{root: t.root.clone(), n: t.n}
}

func (n *znode) clone() *znode {
	if n.leaf() {
		return &znode{members: slices.Clone(n.members)}
	}
	c := &znode{
		children: make([]*znode, len(n.children)),
		sizes:    slices.Clone(n.sizes),
		seps:     slices.Clone(n.seps),
	}
	for i, child := range n.children {
		c.children[i] = child.clone()
	}
	return c
}
