package datatypes

import "encoding/binary"

// RadixTreeNodes is the node count of the radix tree Redis would hold for
// this stream's nodes (XINFO STREAM's radix-tree-nodes): Redis keys its
// listpacks by their master IDs as 16 big-endian bytes in a rax, whose
// shape for keys of one length is the compressed trie counted here: one
// compressed node per run of bytes a subtree's keys share, one branching
// node where they part, one leaf per key; an empty tree is its root.
func (s *Stream) RadixTreeNodes() int {
	var keys [][16]byte
	s.eachNode(func(n *streamNode) bool {
		var k [16]byte
		binary.BigEndian.PutUint64(k[:8], n.master.Ms)
		binary.BigEndian.PutUint64(k[8:], n.master.Seq)
		keys = append(keys, k)
		return true
	})
	if len(keys) == 0 {
		return 1
	}
	return raxNodes(keys, 0)
}

// raxNodes counts the nodes below depth d of sorted keys that share their
// first d bytes.
func raxNodes(keys [][16]byte, d int) int {
	if len(keys) == 1 {
		if d < 16 {
			return 2 // the rest of the key, compressed, then the leaf
		}
		return 1
	}
	n := 0
	if p := sharedFrom(keys, d); p > 0 {
		n, d = 1, d+p
	}
	n++ // the branching node
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j][d] == keys[i][d] {
			j++
		}
		n += raxNodes(keys[i:j], d+1)
		i = j
	}
	return n
}

// sharedFrom is how many bytes from d on all sorted keys share: those the
// first and the last share.
func sharedFrom(keys [][16]byte, d int) int {
	first, last := keys[0], keys[len(keys)-1]
	p := 0
	for d+p < 16 && first[d+p] == last[d+p] {
		p++
	}
	return p
}
