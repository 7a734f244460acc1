package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/server"
	"github.com/geetcache/geetcache/tlsconf"
)

// config is everything the command line and environment decide.
type config struct {
	port              int
	bind              string
	dir               string
	raftLog           string
	nodeID            string
	raftAddr          string
	logLevel          string
	snapshotThreshold uint64
	snapshotInterval  time.Duration
	trailingLogs      uint64
	snapshotBytes     uint64
	trailingBytes     uint64
	peersFlag         string
	peers             []cluster.Peer
	bootstrap         optBool
	advertise         string
	join              string
	electionWait      time.Duration
	followerReads     server.FollowerReads
	testClockOffset   time.Duration // testClockOffsetEnv: tests only
	timeout           int
	requirepass       string
	// maxMemory and maxMemoryPolicy are the replicated settings this node
	// proposes when it leads and they were never set ("": no proposal).
	maxMemory, maxMemoryPolicy string
	masterName                 string
	databases                  int
	shutdownTimeout            int
	metricsAddr                string
	logFormat                  string
	// logFile, pidFile and supervised are Redis's process directives
	// (supervise.go).
	logFile, pidFile, supervised string
	// enableDebug is enable-debug-command (server/protected_commands.go).
	enableDebug string
	// tlsPort, tls and protectedMode are the TLS and protected-mode
	// flags (tls.go).
	tlsPort       int
	tls           tlsconf.Settings
	protectedMode string
	// tlsCluster is -tls-cluster (tls_cluster.go).
	tlsCluster string
	// settings are CONFIG parameters the configuration file sets (name,
	// value), applied to the server before it listens.
	settings [][2]string
	fromFile map[string]confLine // the flags the file set, by name: their line
	file     string              // the configuration file's absolute path, if any
}

// testClockOffsetEnv skews the node's clock by a duration ("5s", "-3s"),
// for tests of clock skew only: it is no flag and not in -help. It moves
// the time the node stamps on the entries it proposes as leader and judges
// reads by; the state machine takes its time from the entries alone.
const testClockOffsetEnv = "GEETCACHE_TEST_CLOCK_OFFSET"

const usageHeader = `geetcache: a Redis-compatible cache whose every write goes through a Raft log.

Usage: geetcache [/path/to/geetcache.conf] [flags]

Every flag can also be set in the environment as GEETCACHE_<NAME>, e.g.
GEETCACHE_PORT=6380 or GEETCACHE_RAFT_ADDR=127.0.0.1:16380, and in a
configuration file in redis.conf's syntax ("port 6380", one directive a
line; the CONFIG parameters too, e.g. "maxclients 5000"). The CONFIG
parameters may also be given on the command line, as redis-server takes
them: --save "" --appendonly yes --hz 20. The command line wins over the
environment, which wins over the file.

Flags:
`

// parseConfig reads flags, then the environment for flags not given, then
// the configuration file (the first argument that is no flag nor a flag's
// value: first, or after flags) for flags given by neither.
func parseConfig(args []string, env func(string) string, usageOut io.Writer) (config, error) {
	var c config
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	fs := newFlagSet(&c)
	args, argSettings, err := splitSettings(args, fs) // argsettings.go
	if err != nil {
		return c, err
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(fs, usageOut)
		}
		return c, err
	}
	if file == "" && fs.NArg() > 0 && !strings.HasPrefix(fs.Arg(0), "-") {
		// The file after some flags (docker run's arguments follow the
		// image's entrypoint flags): the flags after it are parsed too.
		file = fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return c, err
		}
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := applyEnv(fs, env); err != nil {
		return c, err
	}
	if file != "" {
		var err error
		if c.file, err = filepath.Abs(file); err != nil {
			return c, fmt.Errorf("failed to read configuration file: %w", err)
		}
		given := map[string]bool{} // on the command line or in the environment
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		if err := c.applyFile(file, fs, given); err != nil {
			return c, err
		}
	}
	c.settings = append(c.settings, argSettings...) // after the file's: the command line wins
	if v := env(testClockOffsetEnv); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, fmt.Errorf("invalid value %q for %s: %v", v, testClockOffsetEnv, err)
		}
		c.testClockOffset = d
	}
	return c, c.blameLine(c.validate())
}

// newFlagSet defines every flag on c.
func newFlagSet(c *config) *flag.FlagSet {
	d := cluster.DefaultConfig()
	fs := flag.NewFlagSet("geetcache", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.IntVar(&c.port, "port", 6379, "TCP port for RESP clients (0 picks a free one)")
	fs.StringVar(&c.bind, "bind", "127.0.0.1 -::1", "addresses to listen on, separated by spaces or commas; a leading '-' marks one that may be unavailable")
	fs.StringVar(&c.dir, "dir", "./data", "directory for the Raft log, stable store and snapshots")
	fs.StringVar(&c.raftLog, "raft-log", d.RaftLog, "Raft log store: wal (segment files) or bolt (raft.db); a bolt log is migrated into wal on start")
	fs.StringVar(&c.nodeID, "node-id", d.NodeID, "this node's Raft server ID")
	fs.StringVar(&c.raftAddr, "raft-addr", "", "host:port for Raft traffic (default 127.0.0.1:<port+10000>)")
	fs.StringVar(&c.logLevel, "loglevel", "notice", "log level: debug, verbose, notice or warning")
	fs.Uint64Var(&c.snapshotThreshold, "raft-snapshot-threshold", d.SnapshotThreshold, "log entries that trigger a snapshot")
	fs.DurationVar(&c.snapshotInterval, "raft-snapshot-interval", d.SnapshotInterval, "how often to check whether to snapshot")
	fs.Uint64Var(&c.trailingLogs, "raft-trailing-logs", d.TrailingLogs, "log entries kept after a snapshot")
	fs.Uint64Var(&c.snapshotBytes, "raft-snapshot-threshold-bytes", d.SnapshotThresholdBytes, "bytes of log entries, stored since the last snapshot, that trigger a snapshot (or the newest snapshot's size if larger)")
	fs.Uint64Var(&c.trailingBytes, "raft-trailing-bytes", d.TrailingBytes, "bytes of the newest log entries kept after a snapshot (at most -raft-trailing-logs entries)")
	fs.StringVar(&c.peersFlag, "peers", "", "initial cluster as id=raft-host:port,... including this node (default: a single-node cluster)")
	fs.Var(&c.bootstrap, "bootstrap", "form a new cluster when the data directory has no Raft state (default true without -peers, false with -peers)")
	fs.StringVar(&c.advertise, "advertise", "", "host:port other nodes and clients reach this node's clients port at (default first non-wildcard -bind and -port)")
	fs.StringVar(&c.join, "join", "", "client host:port of any member of a running cluster to join as a voter (implies no -bootstrap)")
	fs.DurationVar(&c.electionWait, "election-wait", 2*time.Second, "how long a command waits for a leader during an election before CLUSTERDOWN")
	fs.TextVar(&c.followerReads, "follower-reads", server.ReadIndexReads, "how a follower serves a linearizable read (`mode`): readindex (itself, once it has applied the leader's read index) or forward (sent to the leader)")
	fs.IntVar(&c.timeout, "timeout", 0, "close a client idle for this many seconds, as Redis's timeout (0: never; CONFIG SET timeout changes it)")
	fs.StringVar(&c.maxMemory, "maxmemory", "", "memory limit of the data set for the whole cluster, as Redis's maxmemory (bytes or units: 100mb, 2gb); a leader proposes it when the cluster never had one; CONFIG SET maxmemory changes it")
	fs.StringVar(&c.maxMemoryPolicy, "maxmemory-policy", "", "what to do at maxmemory, as Redis's maxmemory-policy (noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl); proposed as -maxmemory is")
	fs.StringVar(&c.requirepass, "requirepass", "", "password the default user needs, as Redis's requirepass (prefer GEETCACHE_REQUIREPASS to keep it out of ps); the leader gives it to the default user through the log unless that user has a password already")
	fs.IntVar(&c.databases, "databases", datatypes.DefaultDatabases, "number of databases clients SELECT from (0 to databases-1), as Redis's databases; every node of a cluster must have the same")
	fs.StringVar(&c.masterName, "master-name", server.DefaultMasterName, "the master name Sentinel clients ask for (SENTINEL GET-MASTER-ADDR-BY-NAME <name>): the Raft leader's client address")
	fs.IntVar(&c.shutdownTimeout, "shutdown-timeout", int(server.DefaultShutdownTimeout/time.Second), "seconds a leader that stops (SIGTERM, SHUTDOWN) waits at most to hand its leadership over, as Redis's shutdown-timeout")
	fs.StringVar(&c.logFormat, "log-format", "text", "log line format, for geetcache's and Raft's lines alike: text (key=value) or json")
	fs.StringVar(&c.logFile, "logfile", "", "file to append the log lines to, as Redis's logfile (default: standard error)")
	fs.StringVar(&c.pidFile, "pidfile", "", "file to write the process ID to at start, removed at exit, as Redis's pidfile (default: none)")
	fs.StringVar(&c.supervised, "supervised", "no", "tell a supervisor when ready, as Redis's supervised: no, systemd (READY=1 on $NOTIFY_SOCKET), upstart (SIGSTOP) or auto (found from the environment)")
	fs.StringVar(&c.enableDebug, "enable-debug-command", "yes", "who may run DEBUG, as Redis's enable-debug-command: yes (anyone its ACL lets; Redis's default is no), local (clients at 127.0.0.1, ::1 or the Unix socket only) or no")
	fs.StringVar(&c.metricsAddr, "metrics-addr", "", "host:port to serve Prometheus metrics at http://host:port/metrics (default: none)")
	addTLSFlags(fs, c)
	fs.StringVar(&c.tlsCluster, "tls-cluster", "no", "yes: mutual TLS between nodes with -tls-cert-file and the cluster's CA (-tls-ca-cert-file): the Raft transport and the nodes' links to each other's -tls-port, which each node then announces (needs -tls-port)")
	return fs
}

func printUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprint(w, usageHeader)
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// applyEnv sets each flag not given on the command line from GEETCACHE_<NAME>.
func applyEnv(fs *flag.FlagSet, env func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := "GEETCACHE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		v := env(name)
		if given[f.Name] || v == "" || err != nil {
			return
		}
		if e := fs.Set(f.Name, v); e != nil {
			err = fmt.Errorf("invalid value %q for %s: %v", v, name, e)
		}
	})
	return err
}

func (c *config) validate() error {
	if c.port < 0 || c.port > 65535 {
		return fmt.Errorf("invalid value %d for -port: must be from 0 to 65535", c.port)
	}
	if len(c.binds()) == 0 {
		return fmt.Errorf("invalid value %q for -bind: no address given", c.bind)
	}
	for _, b := range c.binds() {
		if net.ParseIP(strings.TrimPrefix(b, "-")) == nil {
			return fmt.Errorf("invalid value %q for -bind: %q is not an IP address", c.bind, b)
		}
	}
	if c.timeout < 0 || c.timeout > 1<<31-1 {
		return fmt.Errorf("invalid value %d for -timeout: must be from 0 to 2147483647", c.timeout)
	}
	for _, f := range []struct{ name, value string }{{"maxmemory", c.maxMemory}, {"maxmemory-policy", c.maxMemoryPolicy}} {
		if f.value == "" {
			continue
		}
		if _, reason := server.CanonicalSetting(f.name, f.value); reason != "" {
			return fmt.Errorf("invalid value %q for -%s: %s", f.value, f.name, reason)
		}
	}
	if c.masterName == "" || strings.ContainsAny(c.masterName, " \t\r\n") {
		return fmt.Errorf("invalid value %q for -master-name: must be a non-empty name without spaces", c.masterName)
	}
	if c.databases < 1 || c.databases > maxDatabases {
		return fmt.Errorf("invalid value %d for -databases: must be from 1 to %d", c.databases, maxDatabases)
	}
	if c.shutdownTimeout < 0 || c.shutdownTimeout > 1<<31-1 {
		return fmt.Errorf("invalid value %d for -shutdown-timeout: must be from 0 to 2147483647", c.shutdownTimeout)
	}
	if c.metricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.metricsAddr); err != nil || port == "" {
			return fmt.Errorf("invalid value %q for -metrics-addr: must be host:port", c.metricsAddr)
		}
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return fmt.Errorf("invalid value %q for -log-format: must be text or json", c.logFormat)
	}
	if err := c.validateTLS(); err != nil {
		return err
	}
	if err := c.validateTLSCluster(); err != nil {
		return err
	}
	c.enableDebug = strings.ToLower(c.enableDebug)
	if c.enableDebug != "yes" && c.enableDebug != "no" && c.enableDebug != "local" {
		return fmt.Errorf("invalid value %q for -enable-debug-command: must be yes, no or local", c.enableDebug)
	}
	if !supervisedModes[c.supervised] {
		return fmt.Errorf("invalid value %q for -supervised: must be no, upstart, systemd or auto", c.supervised)
	}
	if _, ok := redisLogLevels[c.logLevel]; !ok {
		return fmt.Errorf("invalid value %q for -loglevel: must be debug, verbose, notice or warning", c.logLevel)
	}
	if c.raftAddr == "" {
		port := c.clientPort()
		if port+10000 > 65535 {
			return fmt.Errorf("invalid value %d for -port: -raft-addr must be given when port+10000 exceeds 65535", port)
		}
		c.raftAddr = "127.0.0.1:" + strconv.Itoa(port+10000)
		if port == 0 {
			c.raftAddr = "127.0.0.1:0"
		}
	}
	if err := c.validatePeers(); err != nil {
		return err
	}
	if err := c.validateJoin(); err != nil {
		return err
	}
	return c.validateRaft()
}

func (c *config) validateRaft() error {
	switch {
	case c.nodeID == "":
		return errors.New(`invalid value "" for -node-id: must not be empty`)
	case c.snapshotThreshold == 0:
		return errors.New("invalid value 0 for -raft-snapshot-threshold: must be positive")
	case c.snapshotBytes == 0:
		return errors.New("invalid value 0 for -raft-snapshot-threshold-bytes: must be positive")
	case c.snapshotInterval <= 0:
		return fmt.Errorf("invalid value %s for -raft-snapshot-interval: must be positive", c.snapshotInterval)
	}
	cc := c.cluster(nil)
	if err := cc.Validate(); err != nil {
		return fmt.Errorf("invalid value %q for -raft-addr: %w", c.raftAddr, err)
	}
	return nil
}

func (c *config) binds() []string {
	return strings.FieldsFunc(c.bind, func(r rune) bool { return r == ',' || r == ' ' })
}

// redisLogLevels are -loglevel's values in Redis's words (info and warn
// are geetcache's other names for notice and warning); server.LogLevel
// maps those onto slog's levels.
var redisLogLevels = map[string]string{"debug": "debug", "verbose": "verbose", "notice": "notice",
	"warning": "warning", "info": "notice", "warn": "warning"}

// redisLogLevel is -loglevel in Redis's words.
func (c *config) redisLogLevel() string { return redisLogLevels[c.logLevel] }

var raftLogLevels = map[string]string{
	"debug": "debug", "verbose": "info", "notice": "warn", "warning": "warn", "info": "info", "warn": "warn",
}

func (c *config) cluster(log *slog.Logger) cluster.Config {
	cc := cluster.DefaultConfig()
	cc.NodeID, cc.RaftAddr, cc.Dir, cc.RaftLog = c.nodeID, c.raftAddr, c.dir, c.raftLog
	cc.SnapshotThreshold, cc.SnapshotInterval, cc.TrailingLogs = c.snapshotThreshold, c.snapshotInterval, c.trailingLogs
	cc.SnapshotThresholdBytes, cc.TrailingBytes = c.snapshotBytes, c.trailingBytes
	cc.Peers, cc.Bootstrap = c.peers, c.bootstrap.or(c.standalone())
	cc.TestClockOffset = c.testClockOffset
	cc.ClientAddr = c.advertise
	cc.Databases = c.databases
	for _, f := range [][2]string{{cluster.SettingMaxMemory, c.maxMemory}, {cluster.SettingMaxMemoryPolicy, c.maxMemoryPolicy}} {
		if v, reason := server.CanonicalSetting(f[0], f[1]); f[1] != "" && reason == "" {
			cc.InitialSettings = append(cc.InitialSettings, [2]string{f[0], v})
		}
	}
	if log != nil {
		cc.Logger = log.With("subsystem", "cluster")
		cc.RaftLogLevel = raftLogLevels[c.logLevel]
		cc.RaftLogger = log.With("subsystem", "raft")
	}
	return cc
}

// maxDatabases bounds -databases: the highest database index a log entry
// may name is one below it.
const maxDatabases = 1 << 16

// standalone reports whether this node forms a single-node cluster of its
// own: no -peers and no -join.
func (c *config) standalone() bool { return len(c.peers) == 0 && c.join == "" }

func (c *config) validateJoin() error {
	if c.electionWait <= 0 {
		return fmt.Errorf("invalid value %s for -election-wait: must be positive", c.electionWait)
	}
	if c.join == "" {
		return nil
	}
	if _, port, err := net.SplitHostPort(c.join); err != nil || port == "" {
		return fmt.Errorf("invalid value %q for -join: must be host:port", c.join)
	}
	if len(c.peers) > 0 {
		return fmt.Errorf("invalid value %q for -join: -join and -peers exclude each other", c.join)
	}
	return nil
}

// logger is the process's logger: slog's text or JSON handler on w, at
// level (the -loglevel's, which CONFIG SET loglevel changes).
func (c *config) logger(w io.Writer, level slog.Leveler) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
