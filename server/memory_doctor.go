package server

import (
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// MEMORY DOCTOR: Redis's report (object.c, getMemoryDoctorReport), its
// texts and thresholds, judged on MEMORY STATS's figures (memory_stats.go).
// Redis's replica-buffer check has nothing to judge here (followers are
// Raft's, with no output buffers of the node's clients).
func (s *Server) memoryDoctor(c *protocol.Ctx) {
	var d doctorFigures
	d.memOverhead = s.memOverhead()
	d.clientBytes, d.clients = s.clientsMemory(c)
	if s.cfg.Scripts != nil {
		d.scripts, _ = s.cfg.Scripts.CachedScripts()
	}
	c.Out.Verbatim(d.report())
}

// doctorFigures is what MEMORY DOCTOR judges.
type doctorFigures struct {
	memOverhead
	clientBytes uint64 // every connection's buffers
	clients     int
	scripts     int // in the script cache
}

// report is Redis's report on d, with Redis's thresholds.
func (d doctorFigures) report() string {
	if d.total < 5<<20 {
		return doctorEmpty
	}
	// over: a/b above r and a more than 10 MB above b.
	over := func(a, b uint64, r float64) bool { return fraction(a, b) > r && a > b && a-b > 10<<20 }
	var found []string
	for _, check := range []struct {
		bad  bool
		text string
	}{
		{fraction(d.peak, d.total) > 1.5, doctorPeak},
		{over(d.rss, d.total, 1.4), doctorHighRSS},
		{over(d.active, d.allocated, 1.1), doctorAllocFrag},
		{over(d.resident, d.active, 1.1), doctorAllocRSS},
		{over(d.rss, d.resident, 1.1), doctorProcRSS},
		{d.clients > 0 && d.clientBytes/uint64(d.clients) > 200<<10, doctorClientBufs},
		{d.scripts > 1000, doctorScripts},
	} {
		if check.bad {
			found = append(found, check.text)
		}
	}
	if len(found) == 0 {
		return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"
	}
	return "Sam, I detected a few issues in this Redis instance memory implants:\n\n" +
		strings.Join(found, "") + "I'm here to keep you safe, Sam. I want to help you.\n"
}

// Redis 7.0.15's texts; the allocator named is Go's (INFO mem_allocator).
const (
	doctorEmpty = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. " +
		"Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
	doctorPeak = " * Peak memory: In the past this instance used more than 150% the memory that is currently using. " +
		"The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, " +
		"however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) " +
		"is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. " +
		"If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, " +
		"otherwise the only other option is to shutdown and restart the instance.\n\n"
	doctorHighRSS = " * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 " +
		"(this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). " +
		"This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) " +
		"or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, " +
		"then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc. " +
		"Note: The currently used allocator is \"go\".\n\n"
	doctorAllocFrag = " * High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. " +
		"This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) " +
		"or may result from a workload that causes the allocator to fragment memory a lot. You can try enabling 'activedefrag' config option.\n\n"
	doctorAllocRSS = " * High allocator RSS overhead: This instance has an RSS memory overhead is greater than 1.1 " +
		"(this means that the Resident Set Size of the allocator is much larger than the sum what the allocator actually holds). " +
		"This problem is usually due to a large peak memory (check if there is a peak memory entry above in the report), " +
		"you can try the MEMORY PURGE command to reclaim it.\n\n"
	doctorProcRSS = " * High process RSS overhead: This instance has non-allocator RSS memory overhead is greater than 1.1 " +
		"(this means that the Resident Set Size of the Redis process is much larger than the RSS the allocator holds). " +
		"This problem may be due to Lua scripts or Modules.\n\n"
	doctorClientBufs = " * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). " +
		"This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, " +
		"so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences " +
		"of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems " +
		"in your instance, or to understand better why certain clients are using a big amount of memory.\n\n"
	doctorScripts = " * Many scripts: There seem to be many cached scripts in this instance (more than 1000). " +
		"This may be because scripts are generated and `EVAL`ed, instead of being parameterized (with KEYS and ARGV), " +
		"`SCRIPT LOAD`ed and `EVALSHA`ed. Unless `SCRIPT FLUSH` is called periodically, the scripts' caches may end up consuming most of your memory.\n\n"
)
