package server

import (
	"runtime/metrics"
	"sync"
	"time"
)

// Instantaneous rates are averaged over the last metricSamples samples,
// one every metricPeriod, as Redis's serverCron does (16 samples, 100 ms).
const (
	metricSamples = 16
	metricPeriod  = 100 * time.Millisecond
)

// meter turns a growing counter into a per-second rate.
type meter struct {
	samples   [metricSamples]float64
	idx       int
	lastCount int64
	lastTime  time.Time
}

func (m *meter) sample(count int64, now time.Time) {
	if !m.lastTime.IsZero() {
		if ms := now.Sub(m.lastTime).Milliseconds(); ms > 0 {
			m.samples[m.idx] = float64(count-m.lastCount) * 1000 / float64(ms)
			m.idx = (m.idx + 1) % metricSamples
		}
	}
	m.lastCount, m.lastTime = count, now
}

func (m *meter) rate() float64 {
	var sum float64
	for _, v := range m.samples {
		sum += v
	}
	return sum / metricSamples
}

// metricsState samples the server's counters for INFO's instantaneous_*
// fields and the memory peak. Sampling starts with the first INFO (a
// server nobody asks runs no sampler) and stops when the server closes.
type metricsState struct {
	start sync.Once
	mu    sync.Mutex
	ops   meter
	in    meter
	out   meter
	peak  uint64
}

// ensureSampler starts the sampling goroutine once.
func (s *Server) ensureSampler() {
	s.metrics.start.Do(func() {
		s.sampleMetrics(time.Now())
		go s.samplerLoop()
	})
}

func (s *Server) samplerLoop() {
	t := time.NewTicker(metricPeriod)
	defer t.Stop()
	for now := range t.C {
		s.mu.Lock()
		closed := s.closed
		s.mu.Unlock()
		if closed {
			return
		}
		s.sampleMetrics(now)
	}
}

func (s *Server) sampleMetrics(now time.Time) {
	m := &s.metrics
	heap := uint64(s.usedMemory()) // used_memory_peak follows used_memory
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ops.sample(s.stats.commands.Load(), now)
	m.in.sample(s.stats.netIn.Load(), now)
	m.out.sample(s.stats.netOut.Load(), now)
	m.peak = max(m.peak, heap)
}

// rates returns commands per second and input and output KB per second.
func (m *metricsState) rates() (ops, inKB, outKB float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ops.rate(), m.in.rate() / 1024, m.out.rate() / 1024
}

// notePeak records used as a memory sample and returns the peak so far.
func (m *metricsState) notePeak(used uint64) uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.peak = max(m.peak, used)
	return m.peak
}

// reset forgets the rate samples (CONFIG RESETSTAT); the counters they
// follow restart from zero.
func (m *metricsState) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ops, m.in, m.out = meter{}, meter{}, meter{}
}

// heapBytes is the memory held by live (and not yet swept) heap objects:
// Go's counterpart of the bytes Redis's allocator has handed out.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
