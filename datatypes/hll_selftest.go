package datatypes

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
)

// HLLDecodeSparse renders the opcodes of a sparse "HYLL" string as Redis's
// PFDEBUG DECODE does: "z:N" (ZERO), "Z:N" (XZERO), "v:VALUE,N" (VAL).
func HLLDecodeSparse(b []byte) string {
	var sb strings.Builder
	body := b[min(len(b), redisHLLHeaderSize):]
	for p := 0; p < len(body); p++ {
		op := body[p]
		switch {
		case op&0xc0 == 0:
			sb.WriteString("z:" + strconv.Itoa(int(op&0x3f)+1) + " ")
		case op&0xc0 == 0x40:
			sb.WriteString("Z:" + strconv.Itoa((int(op&0x3f)<<8|int(byteAt(body, p+1)))+1) + " ")
			p++
		default:
			sb.WriteString("v:" + strconv.Itoa(int(op>>2&0x1f)+1) + "," + strconv.Itoa(int(op&3)+1) + " ")
		}
	}
	return strings.TrimRight(sb.String(), " ")
}

// HLLSelfTest is PFSELFTEST's check: for registers drawn from a fixed
// seed, the sparse and dense "HYLL" strings parse back to the same
// registers and count alike.
func HLLSelfTest() error {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 8 {
		var regs [HLLRegisters]uint8
		for range 1 << (2 * round) {
			regs[r.IntN(HLLRegisters)] = uint8(1 + r.IntN(redisSparseValMax))
		}
		sparse, dense := HLLFromRegisters(&regs, false), HLLFromRegisters(&regs, true)
		for _, h := range []*HLL{sparse, dense} {
			back, err := ParseHLL(h.Bytes())
			if err != nil {
				return err
			}
			if *hllRegs(back) != regs || back.Count() != HLLCountRegisters(&regs) {
				return errors.New("TESTFAILED Register error at round " + strconv.Itoa(round))
			}
		}
		if bytes.Equal(sparse.Bytes(), dense.Bytes()) {
			return errors.New("TESTFAILED sparse and dense encodings alike")
		}
	}
	return nil
}

// hllRegs returns h's registers.
func hllRegs(h *HLL) *[HLLRegisters]uint8 {
	var regs [HLLRegisters]uint8
	h.MaxInto(&regs)
	return &regs
}
