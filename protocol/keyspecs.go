package protocol

// KeySpec is one of a command's key specifications as Redis 7.0 describes
// them (COMMAND INFO's key specs): the flags of the keys it finds (RW,
// access, insert...), where the search begins and how the keys are found
// from there. geetcache keeps Redis's specifications as data
// (command_info_redis.go) for COMMAND GETKEYSANDFLAGS and ACL key
// permissions; the routing of a call uses Command's own key positions.
type KeySpec struct {
	Flags []string
	Begin BeginSearch
	Find  FindKeys
}

// BeginSearch is where a key spec's search begins: at an index (Index >
// 0), after a keyword searched from StartFrom (negative: from the end,
// backwards), or nowhere known (both zero).
type BeginSearch struct {
	Index     int
	Keyword   string
	StartFrom int
}

// FindKeys is how a key spec's keys are found from where the search
// began: a range (LastKey relative to the first key, or from the end when
// negative; every KeyStep; Limit divides what is left) or a count of keys
// at KeyNumIdx, the first key FirstKey after it (KeyNum set). Unknown
// when KeyStep is 0.
type FindKeys struct {
	KeyNum              bool
	LastKey, Limit      int
	KeyNumIdx, FirstKey int
	KeyStep             int
}

// Positions returns where in argv the spec finds keys, as Redis's
// getKeysUsingKeySpecs does; nil when it finds none or is unknown.
func (ks KeySpec) Positions(argv [][]byte) []int {
	first := ks.first(argv)
	if first <= 0 || ks.Find.KeyStep <= 0 {
		return nil
	}
	argc := len(argv)
	var last int
	switch f := ks.Find; {
	case f.KeyNum:
		if first+f.KeyNumIdx >= argc {
			return nil
		}
		n, ok := ParseInt(argv[first+f.KeyNumIdx])
		if !ok || n < 0 || n > int64(argc) {
			return nil
		}
		first += f.FirstKey
		last = first + int(n) - 1
	case f.LastKey >= 0:
		last = first + f.LastKey
	case f.Limit == 0:
		last = argc + f.LastKey
	default:
		last = first + ((argc-first)/f.Limit + f.LastKey)
	}
	var out []int
	for i := first; i <= last && i < argc; i += ks.Find.KeyStep {
		out = append(out, i)
	}
	return out
}

// first is where the spec's keys begin in argv, 0 when it cannot tell.
func (ks KeySpec) first(argv [][]byte) int {
	b := ks.Begin
	switch {
	case b.Index > 0:
		return b.Index
	case b.Keyword == "":
		return 0
	case b.StartFrom > 0: // Redis stops short of the last argument
		for i := b.StartFrom; i < len(argv)-1; i++ {
			if EqualFold(argv[i], b.Keyword) {
				return i + 1
			}
		}
	default:
		for i := len(argv) + b.StartFrom; i > 1; i-- {
			if EqualFold(argv[i], b.Keyword) {
				return i + 1
			}
		}
	}
	return 0
}
