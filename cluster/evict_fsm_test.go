package cluster

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/geetcache/geetcache/protocol"
)

// usedLog is a random log over every kind of value, with in-place
// changes, renames, expiry and eviction entries.
func usedLog(seed uint64, n int) *entryLog {
	l := &entryLog{rnd: rand.New(rand.NewPCG(seed, 2)), now: 1_700_000_000_000}
	for i := 0; i < n; i++ {
		k := fmt.Sprintf("k%d", l.rnd.IntN(12))
		v := fmt.Sprint(l.rnd.IntN(1000), "-", i)
		switch l.rnd.IntN(14) {
		case 0:
			l.add(protocol.EntryCommands, "SET", k, v, "PX", fmt.Sprint(1+l.rnd.IntN(200)))
		case 1:
			l.add(protocol.EntryCommands, "APPEND", "s"+k, v)
		case 2:
			l.add(protocol.EntryCommands, "HSET", "h"+k, "f"+fmt.Sprint(l.rnd.IntN(40)), v)
		case 3:
			l.add(protocol.EntryCommands, "HDEL", "h"+k, "f"+fmt.Sprint(l.rnd.IntN(40)))
		case 4:
			l.add(protocol.EntryCommands, "SADD", "t"+k, fmt.Sprint(l.rnd.IntN(600)))
		case 5:
			l.add(protocol.EntryCommands, "ZADD", "z"+k, fmt.Sprint(l.rnd.IntN(100)), v)
		case 6:
			l.add(protocol.EntryCommands, "RPUSH", "l"+k, v, v+v)
		case 7:
			l.add(protocol.EntryCommands, "LPOP", "l"+k)
		case 8:
			l.add(protocol.EntryCommands, "XADD", "x"+k, "*", "f", v)
		case 9:
			l.add(protocol.EntryCommands, "RENAME", "h"+k, "h"+fmt.Sprintf("k%d", l.rnd.IntN(12)))
		case 10:
			l.add(protocol.EntryEvict, "s"+k, "z"+k)
		case 11:
			l.add(protocol.EntryExpire, k)
		case 12:
			l.add(protocol.EntryCommands, "SETRANGE", "s"+k, fmt.Sprint(l.rnd.IntN(300)), v)
		default:
			l.add(protocol.EntryCommands, "PFADD", "p"+k, v)
		}
	}
	return l
}

// TestUsedMemoryDeterministic: the memory figure maxmemory is judged by
// is a function of the log: the same whether the log is applied in one
// batch or entry by entry with a snapshot and restore in the middle, and
// equal to the figure computed afresh from a snapshot of the result
// (so a replica restored from a snapshot agrees with one that replayed).
func TestUsedMemoryDeterministic(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	l := usedLog(seed, 4000)
	a := NewFSM(protocol.DataTable(), nil)
	a.ApplyBatch(l.logs)
	b := NewFSM(protocol.DataTable(), nil)
	half := len(l.logs) / 2
	for _, lg := range l.logs[:half] {
		b.Apply(lg)
	}
	b = snapshotRestore(t, b)
	for _, lg := range l.logs[half:] {
		b.Apply(lg)
	}
	fresh := snapshotRestore(t, a)
	ua, ub, uf := a.used.Load(), b.used.Load(), fresh.used.Load()
	if ua != ub || ua != uf || ua == 0 {
		t.Fatalf("used memory: one batch %d, entry by entry with a restore %d, afresh from a snapshot %d", ua, ub, uf)
	}
	if a.evicted.Load() == 0 { // a count of this process's applies, not in snapshots
		t.Fatalf("no eviction entry deleted a key")
	}
}
