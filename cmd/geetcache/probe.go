package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"time"
)

// The probe subcommands, for a container's probes and pre-stop hook (the
// image has no shell and no redis-cli): each sends one command to the
// node's client port and exits 0 when it answered as hoped, 1 otherwise
// (the reason on stderr), 2 on bad usage.
//
//	geetcache alive     PING answered at all (an error reply counts: LOADING, NOAUTH)
//	geetcache ready     RAFT READY answered +OK: a leader is known and this node caught up
//	geetcache handover  RAFT HANDOVER answered +OK: another node leads now (a leader's pre-stop)

// probeCommands maps each subcommand to the command it sends, and whether
// any reply (not only +OK/+PONG) counts as success.
var probeCommands = map[string]struct {
	args     []string
	anyReply bool
	timeout  time.Duration
}{
	"alive":    {[]string{"PING"}, true, 5 * time.Second},
	"ready":    {[]string{"RAFT", "READY"}, false, 5 * time.Second},
	"handover": {[]string{"RAFT", "HANDOVER"}, false, 30 * time.Second},
}

const probeUsage = `Usage: geetcache alive|ready|handover [flags]

Asks the geetcache node at -addr (default: 127.0.0.1 and the port in
GEETCACHE_PORT, else 6379) one question and exits 0 if the answer is yes:
  alive     it answers PING at all (liveness)
  ready     it knows a leader and has applied the leader's commit index
            (RAFT READY; readiness)
  handover  it is not the leader: a leader hands its leadership over first,
            as on SIGTERM, and keeps serving as a follower (RAFT HANDOVER;
            a pre-stop hook)
The password comes from -password or GEETCACHE_REQUIREPASS, as the node's.

Flags:
`

// runProbe runs one probe subcommand and returns the exit code.
func runProbe(name string, args []string, getenv func(string) string, stderr io.Writer) int {
	pc := probeCommands[name]
	fs := flag.NewFlagSet("geetcache "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := getenv("GEETCACHE_PORT")
	if port == "" {
		port = "6379"
	}
	addr := fs.String("addr", net.JoinHostPort("127.0.0.1", port), "host:port of the node's client port")
	user := fs.String("user", "", "ACL user to AUTH as (with the password)")
	password := fs.String("password", getenv("GEETCACHE_REQUIREPASS"), "password to AUTH with")
	timeout := fs.Duration("timeout", pc.timeout, "how long to wait for the answer")
	fs.Usage = func() { fmt.Fprint(stderr, probeUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if err == nil {
			fs.Usage()
		}
		return 2
	}
	if err := probe(*addr, *user, *password, *timeout, pc.args, pc.anyReply); err != nil {
		fmt.Fprintf(stderr, "geetcache %s: %s: %v\n", name, *addr, err)
		return 1
	}
	return 0
}

// probe sends cmd (after AUTH when password is set) and fails unless the
// reply is a success, or any reply when anyReply.
func probe(addr, user, password string, timeout time.Duration, cmd []string, anyReply bool) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	w, r := bufio.NewWriter(conn), bufio.NewReader(conn)
	args := make([][]byte, len(cmd))
	for i, a := range cmd {
		args[i] = []byte(a)
	}
	cmds := [][][]byte{args}
	if password != "" && !anyReply { // NOAUTH is alive too
		cmds = [][][]byte{authCommand(user, password), args}
	}
	for _, c := range cmds {
		writeCommand(w, c)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	for i := range cmds {
		msg, err := readSimpleReply(r)
		switch {
		case err != nil:
			return err
		case msg != "" && (i < len(cmds)-1 || !anyReply):
			return fmt.Errorf("%s: %s", cmds[i][0], msg)
		}
	}
	return nil
}
