package cluster

import (
	"strconv"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/datatypes"
)

// The eviction settings are replicated (settings.go): the leader decides
// what to evict by them and any node may lead, and every node judges a
// key's LRU/LFU figures by the same parameters. CONFIG SET on any node
// changes them for the whole cluster.
const (
	SettingMaxMemory         = "maxmemory"
	SettingMaxMemoryPolicy   = "maxmemory-policy"
	SettingMaxMemorySamples  = "maxmemory-samples"
	SettingEvictionTenacity  = "maxmemory-eviction-tenacity"
	SettingLFULogFactor      = "lfu-log-factor"
	SettingLFUDecayTime      = "lfu-decay-time"
	defaultMaxMemorySamples  = 5
	defaultEvictionTenacity  = 10
	maxMemorySamplesLimit    = 64
	maxEvictionTenacityLimit = 100
)

// Policy is a maxmemory-policy.
type Policy uint8

// The eight policies of Redis 7.0.
const (
	NoEviction Policy = iota
	VolatileLRU
	VolatileLFU
	VolatileRandom
	VolatileTTL
	AllKeysLRU
	AllKeysLFU
	AllKeysRandom
)

var policyNames = [...]string{
	NoEviction: "noeviction", VolatileLRU: "volatile-lru", VolatileLFU: "volatile-lfu",
	VolatileRandom: "volatile-random", VolatileTTL: "volatile-ttl", AllKeysLRU: "allkeys-lru",
	AllKeysLFU: "allkeys-lfu", AllKeysRandom: "allkeys-random",
}

// PolicyNames lists the policies in the order Redis's CONFIG SET error
// names them.
var PolicyNames = []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
	"allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}

func (p Policy) String() string { return policyNames[p] }

// ParsePolicy parses a policy name (lower case).
func ParsePolicy(s string) (Policy, bool) {
	for p, name := range policyNames {
		if name == s {
			return Policy(p), true
		}
	}
	return 0, false
}

// Volatile says the policy evicts only keys with a TTL.
func (p Policy) Volatile() bool { return p >= VolatileLRU && p <= VolatileTTL }

// LFU says the policy ranks keys by access frequency.
func (p Policy) LFU() bool { return p == VolatileLFU || p == AllKeysLFU }

// LRU says the policy ranks keys by idle time.
func (p Policy) LRU() bool { return p == VolatileLRU || p == AllKeysLRU }

// Random says the policy picks keys at random.
func (p Policy) Random() bool { return p == VolatileRandom || p == AllKeysRandom }

// EvictionSettings are the applied eviction settings.
type EvictionSettings struct {
	MaxMemory int64 // bytes; 0: no limit
	Policy    Policy
	Samples   int // keys sampled per pick (maxmemory-samples)
	Tenacity  int // maxmemory-eviction-tenacity, 0..100
	LFU       datatypes.LFUParams
}

// DefaultEvictionSettings are Redis's defaults.
var DefaultEvictionSettings = EvictionSettings{Samples: defaultMaxMemorySamples, Tenacity: defaultEvictionTenacity,
	LFU: datatypes.DefaultLFUParams}

// updateEviction parses the eviction settings from the node table.
func (f *FSM) updateEviction() {
	s := DefaultEvictionSettings
	num := func(name string, dst *int64) {
		if v, ok := f.meta[settingKey(name)]; ok {
			*dst, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	var samples, tenacity = int64(s.Samples), int64(s.Tenacity)
	num(SettingMaxMemory, &s.MaxMemory)
	num(SettingMaxMemorySamples, &samples)
	num(SettingEvictionTenacity, &tenacity)
	num(SettingLFULogFactor, &s.LFU.LogFactor)
	num(SettingLFUDecayTime, &s.LFU.DecayTime)
	s.Samples, s.Tenacity = int(min(max(samples, 1), maxMemorySamplesLimit)), int(min(max(tenacity, 0), maxEvictionTenacityLimit))
	if p, ok := ParsePolicy(f.meta[settingKey(SettingMaxMemoryPolicy)]); ok {
		s.Policy = p
	}
	old := f.eviction.Swap(&s)
	if f.onMaxMemory != nil && (old == nil || old.MaxMemory != s.MaxMemory) {
		f.onMaxMemory(s.MaxMemory)
	}
}

// Eviction returns the applied eviction settings.
func (n *Node) Eviction() EvictionSettings { return n.fsm.evictionSettings() }

func (f *FSM) evictionSettings() EvictionSettings {
	if s := f.eviction.Load(); s != nil {
		return *s
	}
	return DefaultEvictionSettings
}

// SeedSettings, on the leader, proposes each of Config.InitialSettings
// that the cluster never set (the announce loop calls it too).
func (n *Node) SeedSettings() { n.seedSettings() }

// seedSettings, on the leader, proposes each of Config.InitialSettings
// that the cluster never set.
func (n *Node) seedSettings() {
	if len(n.cfg.InitialSettings) == 0 || n.raft.State() != raft.Leader {
		return
	}
	for _, s := range n.cfg.InitialSettings {
		if _, ok := n.Setting(s[0]); ok {
			continue
		}
		if err := n.SetSetting(s[0], s[1]); err != nil {
			n.cfg.Logger.Warn("failed to propose a setting from the command line", "setting", s[0], "err", err)
			return
		}
	}
}
