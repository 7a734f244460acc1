// Command geetcache runs one geetcache node.
package main

import (
	"errors"
	"flag"
	"fmt"
	"github.com/geetcache/geetcache/acl"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/metrics"
	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/pubsub"
	"github.com/geetcache/geetcache/scripting"
	"github.com/geetcache/geetcache/server"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "import" {
		os.Exit(runImport(os.Args[2:], os.Stdout, os.Stderr))
	}
	if _, ok := probeCommands[argOne()]; ok {
		os.Exit(runProbe(os.Args[1], os.Args[2:], os.Getenv, os.Stderr))
	}
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "geetcache: %v\n", err)
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		fmt.Fprintf(os.Stderr, "geetcache: %v\n", err)
		os.Exit(1)
	}
}

// argOne is the first command-line argument, "" if none.
func argOne() string {
	if len(os.Args) < 2 {
		return ""
	}
	return os.Args[1]
}

func run(cfg config) error {
	out, closeLog, err := cfg.logWriter(os.Stderr)
	if err != nil {
		return err
	}
	defer closeLog()
	level := server.NewLogLevel(cfg.redisLogLevel())
	log := cfg.logger(out, level)
	defer cfg.writePidFile(log)()
	supervisor := cfg.supervisor(os.Getenv, log)
	// The TLS material, loaded once: the clients' TLS port and the links
	// between nodes share it (and CONFIG SET reloads it for both).
	tlsStore, err := cfg.loadTLS()
	if err != nil {
		return err
	}
	cgroupSoft := applyMemoryLimit(log)
	// One engine serves scripts: its commands go in the state machine's
	// table (write scripts run in Apply) and the server's (which routes
	// them); its state is kept in the state machine's snapshots.
	table := protocol.DataTable()
	scripts := scripting.NewEngine(table)
	running := scripting.NewMonitor() // BUSY, SCRIPT KILL, the write scripts' step budget
	running.Attach(scripts)
	scriptCmds := append(scripts.Commands(), scripts.EnableFunctions()...)
	// The ACL users are replicated like the scripts: ACL SETUSER and
	// DELUSER run in the state machine, which keeps the users in its
	// snapshots; rules resolve against every command the binary knows.
	catalog := server.ACLCatalog(append(scriptCmds, acl.NewService(nil).Commands()...))
	aclService := acl.NewService(acl.NewUsers(catalog))
	scriptCmds = append(scriptCmds, aclService.Commands()...)
	for _, c := range scriptCmds {
		table.Register(c)
	}
	ccfg := cfg.cluster(log)
	ccfg.Scripting = scripts.State()
	ccfg.Users = aclService.Users()
	ccfg.ScriptACL = server.ScriptCallCheck // a script's calls are checked in the state machine too
	ccfg.Password = cfg.requirepass
	links, err := cfg.newNodeLinks(tlsStore) // -tls-cluster: mutual TLS between nodes
	if err != nil {
		return err
	}
	ccfg.PeerTLS, ccfg.DialClient = links.peer, links.dial
	broker := pubsub.NewBroker() // the node's subscribers; the state machine publishes to them
	ccfg.Publisher = broker
	ccfg.OnMaxMemory = memoryGovernor(log, cgroupSoft)
	keepGCHeadroom()
	tracking := pubsub.NewTracking() // CLIENT TRACKING's table; the state machine tells it of changed keys
	ccfg.Tracker = tracking
	node, err := cluster.Open(ccfg, table)
	if err != nil {
		return fmt.Errorf("failed to start raft node: %w", err)
	}
	// A single node serves once it leads; a cluster member serves at once
	// and answers CLUSTERDOWN until a leader is known.
	if cfg.standalone() {
		if err := node.WaitLeader(30 * time.Second); err != nil {
			node.Close()
			return fmt.Errorf("failed to become leader: %w", err)
		}
		node.SeedSettings() // --maxmemory and the like hold from the first command
	}
	stop := newStopper(node, log.With("subsystem", "shutdown"))
	srv := server.New(server.Config{
		Binds: cfg.binds(), Port: cfg.port, Limits: server.DefaultLimits,
		Logger: log.With("subsystem", "server"), Dir: cfg.dir, ElectionWait: cfg.electionWait, Databases: cfg.databases,
		FollowerReads: cfg.followerReads, Timeout: time.Duration(cfg.timeout) * time.Second,
		Commands: scriptCmds, Functions: scripts, Scripts: scripts, Running: running,
		Broker: broker, Tracking: tracking, ACL: aclService, RequirePass: cfg.requirepass,
		MasterName: cfg.masterName, DownAfter: cluster.HeartbeatTimeout,
		Stopper: stop, ShutdownTimeout: time.Duration(cfg.shutdownTimeout) * time.Second, ConfigFile: cfg.file,
		TLSPort: cfg.tlsPort, TLS: tlsStore, NoProtectedMode: !cfg.protected(),
		DialPeer: links.dial, PeerCheck: links.check,
		LogLevel: level, StartSettings: cfg.startSettings(), Supervisor: supervisor,
	}, node)
	stop.timeout = srv.ShutdownTimeout
	stop.abortFailover = srv.AbortFailover
	if err := srv.ApplySettings(cfg.settings); err != nil { // checked by parseConfig already
		node.Close()
		return fmt.Errorf("failed to apply the configuration file: %w", err)
	}
	scripts.CountCalls(srv) // INFO commandstats counts the commands scripts call
	if err := srv.Listen(); err != nil {
		node.Close()
		return fmt.Errorf("failed to start server: %w", err)
	}
	if cfg.metricsAddr != "" {
		ms, err := metrics.Listen(cfg.metricsAddr, srv, log.With("subsystem", "metrics"))
		if err != nil {
			srv.Close()
			node.Close()
			return fmt.Errorf("failed to serve metrics on %s: %w", cfg.metricsAddr, err)
		}
		defer ms.Close()
	}
	log.Info("ready to accept connections", "port", cfg.port, "tls_port", cfg.tlsPort, "node_id", cfg.nodeID, "dir", cfg.dir)
	notifyReady(supervisor, log)
	stopJoin := make(chan struct{})
	defer close(stopJoin)
	if cfg.join != "" {
		go cluster.Join(cfg.join, cfg.nodeID, cfg.raftAddr, cfg.requirepass, links.dial, log.With("subsystem", "join"), stopJoin)
	}
	if err := waitStop(log, stop, node); err != nil {
		return err
	}
	log.Info("shutting down")
	notifyStopping(supervisor, log)
	srv.Close()
	if err := node.Close(); err != nil {
		return fmt.Errorf("failed to close raft node: %w", err)
	}
	log.Info("bye")
	return nil
}

// waitStop waits until the process is to stop: a signal or SHUTDOWN was
// prepared (stopper), or the state machine halted. A first SIGTERM or
// SIGINT starts a graceful stop (SHUTDOWN ABORT cancels it); a second one
// cuts its hand-over short.
func waitStop(log *slog.Logger, stop *stopper, node *cluster.Node) error {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sig)
	for {
		select {
		case s := <-sig:
			if stop.Insist() {
				log.Warn("received "+s.String()+" again: stopping now, without waiting for the hand-over", "signal", s.String())
				continue
			}
			log.Info("received "+s.String()+": scheduling shutdown", "signal", s.String())
			go func() {
				if err := stop.Stop(server.ShutdownRequest{}); err != nil {
					log.Warn("shutdown did not happen", "err", err)
				}
			}()
		case <-stop.Exit():
			return nil
		case <-node.Halted():
			// The state machine stopped inside Apply: Raft cannot shut down
			// cleanly, and need not (everything acknowledged is on disk).
			return fmt.Errorf("stopped: %w", node.HaltErr())
		}
	}
}
