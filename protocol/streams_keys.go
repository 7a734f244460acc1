package protocol

// streamsKeys is Redis's xreadGetKeys, the keys of XREAD and XREADGROUP:
// the first half of the arguments after the STREAMS option, found by
// skipping the options before it (STREAMS may also name a group or a key).
// It returns nil on a syntax error.
func streamsKeys(argv [][]byte) []int {
	at := -1
	for i := 1; i < len(argv) && at < 0; i++ {
		switch {
		case EqualFold(argv[i], "block"), EqualFold(argv[i], "count"):
			i++
		case EqualFold(argv[i], "group"):
			i += 2
		case EqualFold(argv[i], "noack"):
		case EqualFold(argv[i], "streams"):
			at = i
		default:
			return nil
		}
	}
	num := len(argv) - at - 1
	if at < 0 || num == 0 || num%2 != 0 {
		return nil
	}
	keys := make([]int, num/2)
	for i := range keys {
		keys[i] = at + 1 + i
	}
	return keys
}

// StreamBlockMs returns the BLOCK milliseconds of an XREAD or XREADGROUP
// call that the state machine has validated; 0 means forever.
func StreamBlockMs(argv [][]byte) int64 {
	for i := 1; i < len(argv)-1; i++ {
		switch {
		case EqualFold(argv[i], "block"):
			n, _ := ParseInt(argv[i+1])
			return n
		case EqualFold(argv[i], "count"):
			i++
		case EqualFold(argv[i], "group"):
			i += 2
		case EqualFold(argv[i], "streams"):
			return 0
		}
	}
	return 0
}
