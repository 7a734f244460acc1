package datatypes

import (
	"encoding/binary"
	"errors"

	"github.com/bits-and-blooms/bitset"
)

// geetcache's own serialized form of an HLL, kept in snapshots (GET shows
// Redis's "HYLL" string instead, see Bytes; SET accepts both):
//
//	offset  size  field
//	0       4     magic "GHLL"
//	4       1     version, 1 or 2
//	5       1     encoding: 0 dense, 1 sparse
//	6       1     flags: bit 0 set when the cached cardinality is valid;
//	              bit 1 (version 2) set when Redis's encoding is dense
//	              (version 1: when the encoding byte says dense); other
//	              bits are zero
//	7       8     cached cardinality, uint64 little-endian (version 1: 0
//	              when invalid; version 2: the last valid one)
//	15      ...   registers
//
// Dense registers are the bitset's 1536 words, little-endian (12288 bytes,
// the same bytes as Redis's dense registers). Sparse registers are a uvarint
// count n, then n entries in increasing register order, each a uvarint gap
// (index minus the previous index minus one; the first entry's gap is its
// index) and one byte holding the value, 1..63.
//
// Redis's own blobs ("HYLL", see hll_redis.go) are accepted as input too.
const (
	ghllMagic      = "GHLL"
	ghllVersion    = 2
	ghllHeaderSize = 15
	ghllDense      = 0
	ghllSparse     = 1
	ghllCardValid  = 1
	ghllRedisDense = 2
	hllDenseBytes  = hllDenseBits / 8
)

// Errors from parsing a string as an HLL. PFADD, PFCOUNT and PFMERGE reply
// with Redis's texts for them.
var (
	// ErrNotHLL means the string is not an HLL blob: wrong magic, version,
	// encoding or length. Redis replies WRONGTYPE.
	ErrNotHLL = errors.New("not a valid hyperloglog string value")
	// ErrHLLCorrupt means the header is valid but the sparse registers do
	// not decode. Redis replies INVALIDOBJ.
	ErrHLLCorrupt = errors.New("corrupted hyperloglog object")
)

// hllHeader is what a blob's header says.
type hllHeader struct {
	redis      bool // a Redis "HYLL" blob
	dense      bool
	redisDense bool // Redis's encoding is dense
	card       uint64
	cardValid  bool
	body       []byte
}

// ghllBytes serializes h in geetcache's form. It allocates a new slice on
// every call and never modifies h, so a frozen snapshot may call it while
// the FSM runs.
func (h *HLL) ghllBytes() []byte { return h.appendBlob(make([]byte, 0, h.blobSize())) }

// AppendEncoded appends tagHLL and the length-prefixed GHLL blob.
func (h *HLL) AppendEncoded(b []byte) []byte {
	return appendBytes(append(b, tagHLL), h.ghllBytes())
}

func (h *HLL) blobSize() int {
	if h.dense != nil {
		return ghllHeaderSize + hllDenseBytes
	}
	return ghllHeaderSize + binary.MaxVarintLen16 + 3*len(h.sparse)
}

func (h *HLL) appendBlob(b []byte) []byte {
	enc, flags := byte(ghllSparse), byte(0)
	if h.dense != nil {
		enc = ghllDense
	}
	if h.cardValid {
		flags |= ghllCardValid
	}
	if h.redisDense {
		flags |= ghllRedisDense
	}
	b = append(b, ghllMagic...)
	b = append(b, ghllVersion, enc, flags)
	b = binary.LittleEndian.AppendUint64(b, h.card)
	if h.dense != nil {
		return appendDenseWords(b, h.dense.Words())
	}
	return appendSparse(b, h.sparse)
}

func appendDenseWords(b []byte, words []uint64) []byte {
	for _, w := range words {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

func appendSparse(b []byte, s []uint32) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	prev := -1
	for _, e := range s {
		i, v := sparseEntry(e)
		b = binary.AppendUvarint(b, uint64(i-prev-1))
		b = append(b, v)
		prev = i
	}
	return b
}

// parseHLLHeader checks what Redis checks before touching the registers:
// magic, version, encoding and, for a dense blob, the exact length.
func parseHLLHeader(b []byte) (hllHeader, error) {
	if len(b) >= 4 && string(b[:4]) == redisHLLMagic {
		return parseRedisHeader(b)
	}
	if len(b) < ghllHeaderSize || string(b[:4]) != ghllMagic || b[4] < 1 || b[4] > ghllVersion ||
		b[5] > ghllSparse || b[6]&^(ghllCardValid|ghllRedisDense) != 0 ||
		b[4] == 1 && b[6]&ghllRedisDense != 0 {
		return hllHeader{}, ErrNotHLL
	}
	hdr := hllHeader{dense: b[5] == ghllDense, cardValid: b[6]&ghllCardValid != 0,
		card: binary.LittleEndian.Uint64(b[7:]), body: b[ghllHeaderSize:]}
	hdr.redisDense = b[6]&ghllRedisDense != 0 || b[4] == 1 && hdr.dense
	if hdr.dense && len(hdr.body) != hllDenseBytes {
		return hllHeader{}, ErrNotHLL
	}
	return hdr, nil
}

// ParseHLL decodes a blob written by Bytes (or by Redis). The result owns
// its memory. It returns ErrNotHLL or ErrHLLCorrupt for anything else.
func ParseHLL(b []byte) (*HLL, error) {
	hdr, err := parseHLLHeader(b)
	if err != nil {
		return nil, err
	}
	h := &HLL{card: hdr.card, cardValid: hdr.cardValid, redisDense: hdr.redisDense}
	switch {
	case hdr.dense:
		h.dense = denseFromBytes(hdr.body)
	case hdr.redis:
		h.sparse, err = parseRedisSparse(hdr.body)
	default:
		h.sparse, err = parseSparse(hdr.body)
	}
	if err != nil {
		return nil, err
	}
	if len(h.sparse) > hllSparseMax {
		h.toDense()
	}
	return h, nil
}

func denseFromBytes(body []byte) *bitset.BitSet {
	d := newDense()
	w := d.Words()
	for i := range w {
		w[i] = binary.LittleEndian.Uint64(body[8*i:])
	}
	return d
}

// parseSparse decodes geetcache's sparse registers.
func parseSparse(body []byte) ([]uint32, error) {
	n, k := binary.Uvarint(body)
	if k <= 0 || n > HLLRegisters || n > uint64(len(body)-k)/2 {
		return nil, ErrHLLCorrupt
	}
	body = body[k:]
	s := make([]uint32, 0, n)
	next := uint64(0) // lowest index the next entry may have
	for range n {
		gap, k := binary.Uvarint(body)
		if k <= 0 || k >= len(body) || gap >= HLLRegisters-next {
			return nil, ErrHLLCorrupt
		}
		index, val := next+gap, body[k]
		if val == 0 || val > hllMaxReg {
			return nil, ErrHLLCorrupt
		}
		s = append(s, sparsePack(int(index), val))
		body, next = body[k+1:], index+1
	}
	if len(body) != 0 {
		return nil, ErrHLLCorrupt
	}
	return s, nil
}

// HLLView returns v as an HLL: v itself when it is one (the caller must
// not modify it), else v's bytes parsed into a new HLL the caller owns.
func HLLView(v StringValue) (h *HLL, owned bool, err error) {
	if h, ok := v.(*HLL); ok {
		return h, false, nil
	}
	h, err = ParseHLL(v.Bytes())
	return h, true, err
}

// HLLCheck reports whether v passes Redis's header check (isHLLObject),
// without decoding the registers: ErrNotHLL when it does not.
func HLLCheck(v StringValue) error {
	if _, ok := v.(*HLL); ok {
		return nil
	}
	_, err := parseHLLHeader(v.Bytes())
	return err
}

// decodeHLL reads the payload of AppendEncoded.
func decodeHLL(d *decoder) (Value, error) {
	blob := d.bytes()
	if err := d.finish(); err != nil {
		return nil, err
	}
	h, err := ParseHLL(blob)
	if err != nil {
		return nil, errCorrupt
	}
	return h, nil
}
