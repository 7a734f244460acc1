package datatypes

import "sync/atomic"

// Access metadata: when a node last touched a key (LRU, OBJECT IDLETIME)
// and a logarithmic access counter (LFU, OBJECT FREQ), as Redis 7.0's
// evict.c keeps them. It is each node's own: reads served by one node touch
// only that node's entries, so it is never part of the replicated state
// (neither snapshots nor DEBUG DIGEST carry it). Readers update it
// concurrently, under the keyspace owner's read lock, through atomics; the
// caller passes the time and any random number, so this file stays free of
// clocks and random sources.

// LFUInitVal is the counter a new key starts with (Redis's LFU_INIT_VAL),
// so that a key just written is not evicted before it has a chance to be
// read.
const LFUInitVal = 5

// LFUParams are lfu-log-factor and lfu-decay-time (minutes).
type LFUParams struct {
	LogFactor int64
	DecayTime int64
}

// DefaultLFUParams are Redis's defaults.
var DefaultLFUParams = LFUParams{LogFactor: 10, DecayTime: 1}

// initAccess gives a new entry the access metadata of a key just touched
// at now (unix ms).
func (e *Entry) initAccess(now int64) {
	e.atime = uint32(now / 1000)
	e.lfu = lfuMinutes(now)<<8 | LFUInitVal
}

// lfuMinutes is Redis's LFUGetTimeInMinutes: minutes, modulo 2^16.
func lfuMinutes(now int64) uint32 { return uint32(now/60000) & 0xffff }

// Touch records an access at now (unix ms): the LRU time, and the LFU
// counter decayed, then incremented with probability
// 1/((counter-LFUInitVal)*LogFactor+1), judged by r, a uniform number in
// [0, 1). Safe for concurrent use.
func (e *Entry) Touch(now int64, p LFUParams, r float64) {
	atomic.StoreUint32(&e.atime, uint32(now/1000))
	c := logIncr(e.decayedFreq(now, p), p.LogFactor, r)
	atomic.StoreUint32(&e.lfu, lfuMinutes(now)<<8|uint32(c))
}

// logIncr is Redis's LFULogIncr.
func logIncr(c uint8, factor int64, r float64) uint8 {
	if c == 255 {
		return c
	}
	base := float64(c) - LFUInitVal
	if base < 0 {
		base = 0
	}
	if r < 1/(float64(base*float64(factor))+1) { // float64(): never a fused multiply-add
		c++
	}
	return c
}

// Freq is the LFU counter after decay at now (Redis's LFUDecrAndReturn):
// what OBJECT FREQ reports.
func (e *Entry) Freq(now int64, p LFUParams) int64 { return int64(e.decayedFreq(now, p)) }

func (e *Entry) decayedFreq(now int64, p LFUParams) uint8 {
	v := atomic.LoadUint32(&e.lfu)
	c, ldt := v&0xff, v>>8
	if p.DecayTime <= 0 {
		return uint8(c)
	}
	nowMin := lfuMinutes(now)
	elapsed := nowMin - ldt
	if nowMin < ldt {
		elapsed = 0xffff - ldt + nowMin
	}
	periods := int64(elapsed) / p.DecayTime
	if periods >= int64(c) {
		return 0
	}
	return uint8(int64(c) - periods)
}

// IdleMillis is how long ago (ms) this node last touched e, at now, with
// the one-second resolution Redis's LRU clock has.
func (e *Entry) IdleMillis(now int64) int64 {
	at := int64(atomic.LoadUint32(&e.atime)) * 1000
	if now < at {
		return 0
	}
	return now - at
}

// SetTime sets the time (unix ms) new entries' access metadata starts
// at: the state machine sets it to each log entry's time.
func (ks *Keyspace) SetTime(now int64) { ks.now = now }

// SetIdle makes e look last touched idle seconds before now (RESTORE
// IDLETIME).
func (e *Entry) SetIdle(now, idle int64) {
	atomic.StoreUint32(&e.atime, uint32(max(now/1000-idle, 0)))
}

// SetFreq sets e's LFU counter to freq (0..255) as of now (RESTORE FREQ).
func (e *Entry) SetFreq(now int64, freq uint8) {
	atomic.StoreUint32(&e.lfu, lfuMinutes(now)<<8|uint32(freq))
}

// AccessSeconds is when this node last touched e (unix seconds).
func (e *Entry) AccessSeconds() int64 { return int64(atomic.LoadUint32(&e.atime)) }
