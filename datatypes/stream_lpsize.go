package datatypes

// The sizes below are those of Redis 7.0's listpack encoding, so that a
// stream's nodes fill up (stream-node-max-bytes) where Redis's do and an
// approximate trim (MAXLEN ~) removes the same entries.

// lpEntrySize is the listpack bytes of one stream entry: flags, the two ID
// deltas, the field count and names unless same, the values, and lp-count.
func lpEntrySize(id, master StreamID, fv [][]byte, same bool) int {
	nfields := int64(len(fv) / 2)
	size := lpIntSize(int64(flagSameFields)) // flags are 0..3: one byte
	size += lpIntSize(int64(id.Ms-master.Ms)) + lpIntSize(int64(id.Seq-master.Seq))
	count := nfields + 3
	if !same {
		size += lpIntSize(nfields)
		count += nfields + 1
	}
	for i := 0; i < len(fv); i += 2 {
		if !same {
			size += lpStrSize(fv[i])
		}
		size += lpStrSize(fv[i+1])
	}
	return size + lpIntSize(count)
}

// lpIntSize is the bytes of an integer element, backlen included.
func lpIntSize(v int64) int {
	var enc int
	switch {
	case v >= 0 && v <= 127:
		enc = 1
	case v >= -4096 && v <= 4095:
		enc = 2
	case v >= -32768 && v <= 32767:
		enc = 3
	case v >= -8388608 && v <= 8388607:
		enc = 4
	case v >= -2147483648 && v <= 2147483647:
		enc = 5
	default:
		enc = 9
	}
	return enc + lpBacklenSize(enc)
}

// lpStrSize is the bytes of a string element, backlen included; a string
// that is a canonical integer is stored as one.
func lpStrSize(s []byte) int {
	if v, ok := ParseCanonicalInt(s); ok {
		return lpIntSize(v)
	}
	var enc int
	switch n := len(s); {
	case n < 64:
		enc = 1 + n
	case n < 4096:
		enc = 2 + n
	default:
		enc = 5 + n
	}
	return enc + lpBacklenSize(enc)
}

func lpBacklenSize(l int) int {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	}
	return 5
}
