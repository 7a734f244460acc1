package datatypes

import "encoding/binary"

// The cached cardinality. Redis's single-key PFCOUNT answers the count an
// HLL's header caches while it is valid; when a change left it stale,
// PFCOUNT computes the count and stores it in the header, a write Redis
// propagates (bytes 8-15 of the string, the top bit clear). geetcache
// does the same inside the state machine (protocol/hll.go), so that every
// node holds the same bytes; a count read outside it stores nothing.

// HLLCount is single-key PFCOUNT on v: the cached cardinality when v's
// header marks it valid (as Redis, without decoding the registers), else
// the estimate, with stale true: storing it is PFCOUNT's write. It never
// modifies v.
func HLLCount(v StringValue) (card uint64, stale bool, err error) {
	if h, ok := v.(*HLL); ok {
		return h.Count(), !h.cardValid, nil
	}
	hdr, err := parseHLLHeader(v.Bytes())
	if err != nil {
		return 0, false, err
	}
	if hdr.cardValid {
		return hdr.card, false, nil
	}
	h, err := ParseHLL(v.Bytes())
	if err != nil {
		return 0, false, err
	}
	return h.Count(), true, nil
}

// HLLCacheValid reports whether v is an HLL whose header caches a valid
// cardinality: single-key PFCOUNT then answers it and changes nothing.
// False for anything else (a stale count, not an HLL).
func HLLCacheValid(v StringValue) bool {
	if h, ok := v.(*HLL); ok {
		return h.cardValid
	}
	hdr, err := parseHLLHeader(v.Bytes())
	return err == nil && hdr.cardValid
}

// CacheCount stores card, the count of h's registers, as h's valid
// cached cardinality. Only the state machine may call it, on an HLL it
// owns (Keyspace.Mutable).
func (h *HLL) CacheCount(card uint64) {
	h.card, h.cardValid = card, true
}

// HLLHeaderCount returns the count v's header holds, valid or stale (top
// bit clear), 0 for anything that is no HLL.
func HLLHeaderCount(v StringValue) uint64 {
	if h, ok := v.(*HLL); ok {
		return h.card &^ (1 << 63)
	}
	hdr, err := parseHLLHeader(v.Bytes())
	if err != nil {
		return 0
	}
	return hdr.card &^ (1 << 63)
}

// KeepStaleCount sets card as h's cached count, marked stale: PFMERGE
// into an existing key keeps the count its header held, as Redis merges
// into that string in place and only marks its count stale.
func (h *HLL) KeepStaleCount(card uint64) {
	h.card, h.cardValid = card, false
}

// HLLStoreCount writes card into the HLL string b (Redis's "HYLL" or
// geetcache's "GHLL" form, a header parseHLLHeader accepts) as its valid
// cached cardinality, in place, the rest of its bytes unchanged, as
// Redis's PFCOUNT writes the header.
func HLLStoreCount(b []byte, card uint64) {
	if string(b[:4]) == redisHLLMagic {
		binary.LittleEndian.PutUint64(b[8:], card&^(1<<63))
		return
	}
	b[6] |= ghllCardValid
	binary.LittleEndian.PutUint64(b[7:], card)
}
