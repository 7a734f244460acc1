package protocol

import (
	"strings"

	"github.com/geetcache/geetcache/datatypes"
)

// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key, as Redis 7.0: the key must
// exist and hold an HLL; GETREG and TODENSE turn Redis's encoding dense
// (a change Redis does not signal to WATCH).
func pfdebug(c *Ctx) {
	e := c.Lookup(c.Args[2])
	if e == nil {
		c.Out.Error("ERR The specified key does not exist")
		return
	}
	sv, ok := hllValue(c, e)
	if !ok || !replyHLLError(c, datatypes.HLLCheck(sv)) {
		return
	}
	h, owned, err := datatypes.HLLView(sv)
	if !replyHLLError(c, err) {
		return
	}
	sub := strings.ToLower(string(c.Args[1]))
	switch sub {
	case "getreg", "todense":
		if !h.RedisDense() {
			e = c.DB.MutableUnstamped(e)
			if owned {
				e.Value = h
			} else {
				h = e.Value.(*datatypes.HLL)
			}
		}
		converted := h.ToRedisDense()
		if converted {
			c.AddDirty(1) // Redis counts the change of encoding
		}
		if sub == "todense" {
			c.Out.Int(int64(boolInt(converted)))
			return
		}
		var regs [datatypes.HLLRegisters]uint8
		h.MaxInto(&regs)
		c.Out.Array(len(regs))
		for _, r := range regs {
			c.Out.Int(int64(r))
		}
	case "decode":
		if h.RedisDense() {
			c.Out.Error("ERR HLL encoding is not sparse")
			return
		}
		c.Out.BulkString(datatypes.HLLDecodeSparse(h.Bytes()))
	case "encoding":
		c.Out.Simple(map[bool]string{true: "dense", false: "sparse"}[h.RedisDense()])
	default:
		c.Out.Error("ERR Unknown PFDEBUG subcommand '" + string(c.Args[1]) + "'")
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// PFSELFTEST checks, as Redis's self test does in its own way, that the
// register encodings agree: random registers written in Redis's sparse
// and dense strings read back equal and count alike (fixed seed, so every
// replica answers the same).
func pfselftest(c *Ctx) {
	if err := datatypes.HLLSelfTest(); err != nil {
		c.Out.Error("ERR " + err.Error())
		return
	}
	c.Out.OK()
}
