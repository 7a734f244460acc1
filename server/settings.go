package server

import (
	"cmp"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/acl"
	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/pubsub"
	"github.com/geetcache/geetcache/scripting"
	"github.com/geetcache/geetcache/tlsconf"
)

// settings holds the parameters CONFIG GET reports and CONFIG SET changes.
// Each value is what geetcache really does, in Redis's vocabulary: there is
// no RDB file or AOF (durability is the Raft log, fsynced before every
// acknowledgement, hence appendfsync "always"), no password, `databases`
// databases (16 by default); maxmemory and its policy are replicated parameters (maxmemory.go).
type settings struct {
	databases int // Config.Databases, or the default
	// requirepass is the password this node last set with CONFIG SET
	// requirepass (CONFIG GET shows it while the default user has a
	// password); defaultNoPass says whether it has none.
	requirepass   atomic.Pointer[string]
	defaultNoPass func() bool
	dir           string
	port          atomic.Int64 // the plain port: CONFIG SET port changes it (config_port.go)
	bind          string
	limits        Limits
	maxQuery      atomic.Int64 // client-query-buffer-limit: CONFIG SET changes it for every client
	maxClients    atomic.Int64
	// output is client-output-buffer-limit; timeout is the idle client
	// timeout in seconds, 0 for none.
	output  atomic.Pointer[outputLimits]
	timeout atomic.Int64
	// shutdownTimeout is shutdown-timeout in seconds (ShutdownTimeout).
	shutdownTimeout atomic.Int64
	// scripts holds busy-reply-threshold (busy.go).
	scripts *scripting.Monitor
	// latency holds latency-tracking and its percentiles (cmdstats_latency.go).
	latency *latencyTracking
	// slow is the slow log and its settings (slowlog.go); latmon the
	// latency monitor and latency-monitor-threshold (latency.go).
	slow   *slowLog
	latmon *latencyMonitor
	compatSettings
	// appendOnly and rdbPreamble are reported back and change nothing
	// (settings_aof.go).
	appendOnly, rdbPreamble atomic.Bool
	// replicated reads a replicated parameter (settings_replicated.go);
	// nil without a backend.
	replicated func(name string) (string, bool)
	// tracking holds tracking-table-max-keys (tracking_settings.go).
	tracking *pubsub.Tracking
	// aclLog is ACL LOG, whose length acllog-max-len sets; nil without
	// ACL users.
	aclLog *acl.Log
	// tlsCluster is tls-cluster, fixed at start (member_link.go).
	tlsCluster bool
	// tls is the TLS material of the clients' TLS port (nil without
	// TLS); tlsOff records CONFIG SET's TLS parameters while there is
	// none; tlsPort is tls-port (settings_tls.go).
	tls     *tlsconf.Store
	tlsOff  atomic.Pointer[tlsconf.Settings]
	tlsPort int
	// protectedMode is protected-mode (protected.go).
	protectedMode atomic.Bool
	// tlsReplication is tls-replication (upstream_tls.go).
	tlsReplication atomic.Bool
	// kept holds the kept parameters' values (settings_kept.go).
	kept map[string]*atomic.Pointer[string]
	// logLevel is loglevel (nil: notice, fixed); startSettings are
	// logfile, pidfile and supervised as given at start (loglevel.go).
	logLevel      *LogLevel
	startSettings map[string]string
}

// defaultMaxClients is Redis's default maxclients.
const defaultMaxClients = 10000

func newSettings(cfg Config) *settings {
	dir := cfg.Dir
	if dir != "" {
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
	}
	st := &settings{databases: cmp.Or(cfg.Databases, datatypes.DefaultDatabases), dir: dir, bind: strings.Join(cfg.Binds, " "), limits: cfg.Limits, scripts: cfg.Running,
		latency: newLatencyTracking(), slow: newSlowLog(), latmon: newLatencyMonitor()}
	st.port.Store(int64(cfg.Port))
	st.maxQuery.Store(cmp.Or(cfg.Limits.MaxQueryLen, DefaultLimits.MaxQueryLen))
	if st.scripts == nil {
		st.scripts = scripting.NewMonitor()
	}
	if cfg.ACL != nil {
		st.aclLog = cfg.ACL.Log()
	}
	st.compatSettings.init()
	st.initKept()
	st.logLevel, st.startSettings = cfg.LogLevel, cfg.StartSettings
	st.maxClients.Store(defaultMaxClients)
	st.tlsCluster = cfg.PeerCheck != nil
	st.tls, st.tlsPort = cfg.TLS, cfg.TLSPort
	st.protectedMode.Store(!cfg.NoProtectedMode)
	st.rdbPreamble.Store(true)
	out := defaultOutputLimits
	st.output.Store(&out)
	st.timeout.Store(int64(cfg.Timeout / time.Second))
	st.shutdownTimeout.Store(int64(cfg.ShutdownTimeout / time.Second))
	return st
}

// param is one parameter. A parameter without set is fixed in geetcache:
// CONFIG SET accepts only the value it already has (a no-op), unless
// Redis itself never lets it change (immutable), which refuses any value.
type param struct {
	name      string
	immutable bool
	// startOnly: set by a configuration file, refused by CONFIG SET as
	// immutable (Redis's IMMUTABLE_CONFIG parameters kept here).
	startOnly bool
	// protected: CONFIG SET refuses it as Redis's PROTECTED_CONFIG while
	// enable-protected-configs is no (always, here).
	protected bool
	// fileSet, when set, is how a configuration file sets a fixed
	// parameter: any value Redis takes, the one in effect unchanged
	// (appendfsync: every write is synced whatever the file asks).
	fileSet func(st *settings, v []byte) (apply func(), reason string)
	// hidden: CONFIG GET shows it only when asked by its name, as Redis's
	// HIDDEN_CONFIG.
	hidden bool
	// fixedValue: set only checks a value (only the current one is
	// taken), so CONFIG REWRITE has nothing to write.
	fixedValue bool
	get        func(st *settings) string
	// set validates v and returns how to apply it, or Redis's reason for
	// refusing it.
	set func(st *settings, v []byte) (apply func(), reason string)
	// replicated marks a parameter CONFIG SET sends through the log
	// (replicatedParams parses it).
	replicated bool
	// setting is the replicated setting a replicated parameter stores (its
	// own name when empty; an alias names another).
	setting string
	// seed marks a replicated parameter a flag (or a configuration file)
	// may give, proposed when the cluster never set it (maxmemory,
	// maxmemory-policy): CONFIG REWRITE writes its current value.
	seed bool
}

// settingName is the replicated setting p stores.
func (p *param) settingName() string {
	if p.setting != "" {
		return p.setting
	}
	return p.name
}

func fixed(v string) func(*settings) string { return func(*settings) string { return v } }

// params lists every parameter, sorted by name.
var params = []*param{
	{name: "acl-pubsub-default", get: getACLPubsubDefault, replicated: true},
	{name: "acllog-max-len", get: getACLLogMax, set: setACLLogMax},
	{name: "appendfsync", get: fixed("always"), fileSet: checkAppendFsync},
	{name: "aof-use-rdb-preamble", get: getRDBPreamble, set: setRDBPreamble},
	{name: "appendonly", get: getAppendOnly, set: setAppendOnly},
	{name: "bind", get: func(st *settings) string { return st.bind }},
	{name: "busy-reply-threshold", get: getBusyThreshold, set: setBusyThreshold},
	{name: "client-output-buffer-limit", get: func(st *settings) string { return st.output.Load().String() },
		set: setOutputLimits},
	{name: "cluster-enabled", immutable: true, get: fixed("no")},
	{name: "daemonize", immutable: true, get: fixed("no"), fileSet: checkDaemonize},
	{name: "databases", immutable: true, get: func(st *settings) string { return strconv.Itoa(st.databases) }},
	{name: "dir", get: func(st *settings) string { return st.dir }},
	{name: "enable-debug-command", immutable: true, get: startValue("enable-debug-command")},
	{name: "latency-monitor-threshold", get: getLatencyThreshold, set: setLatencyThreshold},
	{name: "latency-tracking", get: getLatencyTracking, set: setLatencyTracking},
	{name: "latency-tracking-info-percentiles", get: getLatencyPercentiles, set: setLatencyPercentiles},
	{name: "logfile", immutable: true, get: startValue("logfile")},
	{name: "loglevel", get: getLogLevel, set: setLogLevel},
	{name: "lua-time-limit", get: getBusyThreshold, set: setBusyThreshold},
	{name: "maxclients", get: func(st *settings) string { return strconv.FormatInt(st.maxClients.Load(), 10) },
		set: setMaxClients},
	{name: "min-replicas-max-lag", get: getMinReplicasMaxLag, replicated: true},
	{name: "min-replicas-to-write", get: getMinReplicasToWrite, replicated: true},
	{name: "min-slaves-max-lag", setting: cluster.SettingMinReplicasMaxLag, get: getMinReplicasMaxLag, replicated: true},
	{name: "min-slaves-to-write", setting: cluster.SettingMinReplicasToWrite, get: getMinReplicasToWrite, replicated: true},
	{name: "notify-keyspace-events", get: getNotifyEvents, replicated: true},
	{name: "port", get: func(st *settings) string { return strconv.FormatInt(st.port.Load(), 10) }, set: setPort},
	{name: "pidfile", immutable: true, get: startValue("pidfile")},
	{name: "protected-mode", get: getProtectedMode, set: setProtectedMode},
	{name: "proto-max-bulk-len", get: func(st *settings) string { return strconv.FormatInt(st.limits.MaxBulk, 10) }},
	{name: "requirepass", get: getRequirepass, set: setRequirepass},
	{name: "shutdown-timeout", get: func(st *settings) string { return strconv.FormatInt(st.shutdownTimeout.Load(), 10) },
		set: setShutdownTimeout},
	{name: "slowlog-log-slower-than", get: getSlowlogSlowerThan, set: setSlowlogSlowerThan},
	{name: "slowlog-max-len", get: getSlowlogMaxLen, set: setSlowlogMaxLen},
	{name: "stream-node-max-bytes", get: getStreamNodeMaxBytes, replicated: true},
	{name: "stream-node-max-entries", get: getStreamNodeMaxEntries, replicated: true},
	{name: "supervised", immutable: true, get: startValue("supervised")},
	{name: "tls-cluster", get: getTLSCluster},
	{name: "tracking-table-max-keys", get: getTrackingMaxKeys, set: setTrackingMaxKeys},
	{name: "timeout", get: func(st *settings) string { return strconv.FormatInt(st.timeout.Load(), 10) },
		set: setTimeout},
}

func init() {
	params = append(params, encodingParams...)
	params = append(params, compatParams...)
	params = append(params, tlsParams...)
	params = append(params, keptParams()...)
	slices.SortFunc(params, func(a, b *param) int { return strings.Compare(a.name, b.name) })
}

// lookupParam finds a parameter by name, any case.
func lookupParam(name []byte) *param {
	for _, p := range params {
		if protocol.EqualFold(name, p.name) {
			return p
		}
	}
	return nil
}

// setMaxClients parses maxclients as Redis does (an unsigned int, at least
// one). Lowering it closes no connection; it refuses new ones.
func setMaxClients(st *settings, v []byte) (func(), string) {
	n, reason := parseIntConfig(v, 1, 1<<32-1)
	if reason != "" {
		return nil, reason
	}
	return func() { st.maxClients.Store(n) }, ""
}

// setOutputLimits parses client-output-buffer-limit as Redis does; the
// classes not named keep their limits.
func setOutputLimits(st *settings, v []byte) (func(), string) {
	next, reason := parseOutputLimits(*st.output.Load(), string(v))
	if reason != "" {
		return nil, reason
	}
	return func() { st.output.Store(&next) }, ""
}

// maxTimeout is the largest timeout Redis accepts (INT_MAX seconds).
const maxTimeout = 1<<31 - 1

// setTimeout parses timeout, the idle client timeout in seconds (0: none).
func setTimeout(st *settings, v []byte) (func(), string) {
	n, reason := parseIntConfig(v, 0, maxTimeout)
	if reason != "" {
		return nil, reason
	}
	return func() { st.timeout.Store(n) }, ""
}

// setShutdownTimeout parses shutdown-timeout in seconds, as Redis does.
func setShutdownTimeout(st *settings, v []byte) (func(), string) {
	n, reason := parseIntConfig(v, 0, maxTimeout)
	if reason != "" {
		return nil, reason
	}
	return func() { st.shutdownTimeout.Store(n) }, ""
}

// ShutdownTimeout is shutdown-timeout: the most a leader that stops waits
// to hand its leadership over.
func (s *Server) ShutdownTimeout() time.Duration {
	return time.Duration(s.settings.shutdownTimeout.Load()) * time.Second
}

// outputLimit is the output buffer limit of client class t.
func (st *settings) outputLimit(t clientType) outputLimit {
	if t >= typeMaster {
		return outputLimit{}
	}
	return st.output.Load()[t]
}

// getACLLogMax is acllog-max-len: how many entries ACL LOG keeps (node
// local, as the log itself).
func getACLLogMax(st *settings) string {
	if st.aclLog == nil {
		return strconv.Itoa(acl.LogMaxLen)
	}
	return strconv.Itoa(st.aclLog.Max())
}

// setACLLogMax parses acllog-max-len as Redis does (0 to LONG_MAX).
func setACLLogMax(st *settings, v []byte) (func(), string) {
	n, reason := parseLongConfig(v, 0)
	if reason != "" {
		return nil, reason
	}
	return func() {
		if st.aclLog != nil {
			st.aclLog.SetMax(int(min(n, 1<<31-1)))
		}
	}, ""
}
