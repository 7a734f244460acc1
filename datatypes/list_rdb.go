package datatypes

// QuicklistNodeFull reports whether Redis 7.0 starts a new quicklist node
// for an element of elemLen bytes after a node of nodeBytes listpack bytes
// holding count elements, under list-max-listpack-size fill (the rule
// List.Quicklist estimates by, used by DUMP to lay out a list's nodes).
func QuicklistNodeFull(fill int64, nodeBytes, count, elemLen int) bool {
	return count == 0 || qlExceeds(fill, nodeBytes+elemLen+qlOverhead, count+1)
}
