package datatypes

// EncodingLimits are Redis's encoding settings (hash-max-listpack-entries
// and the others): they decide which encoding OBJECT ENCODING reports for
// a value. They are replicated settings, so every replica holds the same
// limits; the keyspace carries them so that read and write handlers alike
// see the limits this replica applied.
type EncodingLimits struct {
	HashEntries, HashValue int64 // hash-max-listpack-entries, -value
	ZSetEntries, ZSetValue int64 // zset-max-listpack-entries, -value
	SetIntsetEntries       int64 // set-max-intset-entries
	// ListSize is list-max-listpack-size: positive, the most elements a
	// quicklist node holds; -1..-5, the most bytes (4, 8, 16, 32, 64 KiB).
	ListSize          int64
	ListCompressDepth int64 // list-compress-depth
	HLLSparseMaxBytes int64 // hll-sparse-max-bytes
}

// DefaultEncodingLimits are Redis 7.0's defaults.
var DefaultEncodingLimits = EncodingLimits{
	HashEntries: 512, HashValue: 64,
	ZSetEntries: ZSetListpackEntries, ZSetValue: ZSetListpackValue,
	SetIntsetEntries:  512,
	ListSize:          -2,
	HLLSparseMaxBytes: 3000,
}

// SetEncodingLimits sets the limits OBJECT ENCODING applies.
func (ks *Keyspace) SetEncodingLimits(l EncodingLimits) { ks.enc = l }

// EncodingLimits returns the limits set with SetEncodingLimits (Redis's
// defaults for a new keyspace).
func (ks *Keyspace) EncodingLimits() EncodingLimits { return ks.enc }
