package server

import (
	"bufio"
	"errors"
	"net"
	"strconv"
	"syscall"
	"time"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/datatypes/rdb"
	"github.com/geetcache/geetcache/protocol"
)

// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE]
// [AUTH password] [AUTH2 username password] [KEYS key ...], as Redis 7.0:
// the node the client is on reads the keys (after the read barrier),
// sends their DUMP payloads as RESTORE on a new connection to the target
// (AUTH and SELECT destination-db first), and, unless COPY, deletes the
// keys the target acknowledged through the log: one MULTI block watching
// the keys as they were read, so a write that reached a key after the
// read is never deleted (MIGRATE then answers an error, the key stays).
// The network part never runs inside the state machine.
func (s *Server) migrateCommands() []*protocol.Command {
	return []*protocol.Command{
		{Name: "migrate", Arity: -6, Flags: protocol.Write, FirstKey: 3, LastKey: 3, Step: 1,
			Group: "generic", Since: "2.6.0", Summary: "Atomically transfer a key from a Redis instance to another one.",
			Keys: migrateKeys, CallFlags: func([][]byte) protocol.Flags { return 0 },
			Handler: protocol.HandlerFunc(s.migrate)},
	}
}

// migrateKeys is Redis's migrateGetKeys: the key argument, or every
// argument after KEYS when the key argument is empty. AUTH's password and
// AUTH2's user and password are skipped, so a password "KEYS" is not the
// option.
func migrateKeys(argv [][]byte) []int {
	for i := 6; i < len(argv); i++ {
		switch {
		case protocol.EqualFold(argv[i], "keys"):
			if len(argv[3]) > 0 {
				return []int{3}
			}
			var pos []int
			for j := i + 1; j < len(argv); j++ {
				pos = append(pos, j)
			}
			return pos
		case protocol.EqualFold(argv[i], "auth"):
			i++
		case protocol.EqualFold(argv[i], "auth2"):
			i += 2
		}
	}
	return []int{3}
}

// migrateReq is a parsed MIGRATE call.
type migrateReq struct {
	addr           string
	db             []byte
	timeout        time.Duration
	copy, replace  bool
	user, password []byte
	keys           [][]byte
}

// parseMigrate parses c.Args as Redis does, in its order, or returns the
// error reply.
func parseMigrate(args [][]byte) (*migrateReq, string) {
	r := &migrateReq{keys: [][]byte{args[3]}}
	for j := 6; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case protocol.EqualFold(args[j], "copy"):
			r.copy = true
		case protocol.EqualFold(args[j], "replace"):
			r.replace = true
		case protocol.EqualFold(args[j], "auth"):
			if more < 1 {
				return nil, protocol.ErrSyntax
			}
			j++
			r.password = args[j]
		case protocol.EqualFold(args[j], "auth2"):
			if more < 2 {
				return nil, protocol.ErrSyntax
			}
			r.user, r.password = args[j+1], args[j+2]
			j += 2
		case protocol.EqualFold(args[j], "keys"):
			if len(args[3]) != 0 {
				return nil, "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string"
			}
			r.keys = args[j+1:]
			j = len(args)
		default:
			return nil, protocol.ErrSyntax
		}
	}
	timeout, ok1 := protocol.ParseInt(args[5])
	_, ok2 := protocol.ParseInt(args[4])
	if !ok1 || !ok2 {
		return nil, protocol.ErrNotInteger
	}
	if timeout <= 0 {
		timeout = 1000
	}
	r.timeout = time.Duration(min(timeout, 1<<40)) * time.Millisecond
	r.addr = net.JoinHostPort(string(args[1]), string(args[2]))
	r.db = args[4]
	return r, ""
}

// migrateKey is one key read for MIGRATE.
type migrateKey struct {
	key     []byte
	ttl     int64 // ms, 0 for none
	payload []byte
}

func (s *Server) migrate(c *protocol.Ctx) {
	cl, ok := c.Conn.(*client)
	if !ok {
		c.Out.Error("ERR MIGRATE is not allowed in a transaction or a script here")
		return
	}
	req, errMsg := parseMigrate(c.Args)
	if errMsg != "" {
		c.Out.Error(errMsg)
		return
	}
	if !s.readBarrier(c) {
		return
	}
	var found []migrateKey
	var watch protocol.Watch
	s.view.ViewAt(s.view.WatchTime(), func(dbs *datatypes.DBs, now int64) {
		ks := dbs.DB(cl.db)
		watch.At = s.linear.AppliedIndex()
		for _, k := range req.keys {
			e := ks.Lookup(string(k), now)
			if e == nil {
				continue
			}
			mk := migrateKey{key: k}
			if e.ExpireAt != 0 {
				if mk.ttl = e.ExpireAt - now; mk.ttl < 0 {
					continue
				}
			}
			mk.payload = rdb.Dump(e.Value, ks.EncodingLimits())
			found = append(found, mk)
			watch.Keys = append(watch.Keys, protocol.WatchedKey{Key: k, Existed: true, DB: cl.db})
		}
	})
	if len(found) == 0 {
		c.Out.Simple("NOKEY")
		return
	}
	moved, errMsg := req.send(found)
	if !req.copy && len(moved) > 0 {
		if msg := s.migrateDelete(cl, moved, &watch); errMsg == "" {
			errMsg = msg
		}
	}
	if errMsg != "" {
		c.Out.Error(errMsg)
		return
	}
	c.Out.OK()
}

// send writes AUTH, SELECT and one RESTORE per key to the target in one
// pipeline and reads the replies. It returns the keys the target restored
// and the error reply, Redis's: the first error the target answered, else
// an IOERR for a connection that failed.
func (r *migrateReq) send(keys []migrateKey) (moved [][]byte, errMsg string) {
	conn, err := net.DialTimeout("tcp", r.addr, r.timeout)
	if errors.Is(err, syscall.ECONNREFUSED) {
		// Redis connects without blocking and learns of the refusal
		// when it writes.
		return nil, "IOERR error or timeout writing to target instance"
	}
	if err != nil {
		return nil, "IOERR error or timeout connecting to the client"
	}
	defer conn.Close()
	var out []byte
	switch {
	case r.user != nil:
		out = appendCommand(out, [][]byte{[]byte("AUTH"), r.user, r.password})
	case r.password != nil:
		out = appendCommand(out, [][]byte{[]byte("AUTH"), r.password})
	}
	out = appendCommand(out, [][]byte{[]byte("SELECT"), r.db})
	for _, k := range keys {
		args := [][]byte{[]byte("RESTORE"), k.key, strconv.AppendInt(nil, k.ttl, 10), k.payload}
		if r.replace {
			args = append(args, []byte("REPLACE"))
		}
		out = appendCommand(out, args)
	}
	conn.SetDeadline(time.Now().Add(r.timeout))
	if _, err := conn.Write(out); err != nil {
		return nil, "IOERR error or timeout writing to target instance"
	}
	rd := bufio.NewReader(conn)
	var pre []string // the AUTH and SELECT replies
	for range 1 + boolInt(r.password != nil) {
		line, err := migrateLine(rd, r.timeout, conn)
		if err != nil {
			return nil, "IOERR error or timeout reading to target instance"
		}
		pre = append(pre, line)
	}
	for _, k := range keys {
		line, err := migrateLine(rd, r.timeout, conn)
		if err != nil {
			if errMsg == "" {
				errMsg = "IOERR error or timeout reading to target instance"
			}
			break
		}
		failed := line[0] == '-'
		for _, p := range pre {
			if p[0] == '-' {
				failed, line = true, p
				break
			}
		}
		switch {
		case !failed:
			moved = append(moved, k.key)
		case errMsg == "":
			errMsg = "ERR Target instance replied with error: " + line[1:]
		}
	}
	return moved, errMsg
}

// migrateLine reads one reply line (the target answers RESTORE, AUTH and
// SELECT with one line each) without its CRLF.
func migrateLine(rd *bufio.Reader, timeout time.Duration, conn net.Conn) (string, error) {
	conn.SetReadDeadline(time.Now().Add(timeout))
	line, err := rd.ReadString('\n')
	if err != nil || len(line) < 3 {
		return "", net.ErrClosed
	}
	return line[:len(line)-2], nil
}

// migrateDelete deletes the moved keys through the log, unless one of
// them changed since MIGRATE read it (the block's watch), and returns the
// error reply or "".
func (s *Server) migrateDelete(cl *client, keys [][]byte, watch *protocol.Watch) string {
	moved := make(map[string]bool, len(keys))
	for _, k := range keys {
		moved[string(k)] = true
	}
	w := &protocol.Watch{At: watch.At}
	for _, k := range watch.Keys {
		if moved[string(k.Key)] {
			w.Keys = append(w.Keys, k)
		}
	}
	del := append([][]byte{[]byte("DEL")}, keys...)
	reply := s.execUnit(cl, protocol.Unit{Proto: 2, Multi: true, Cmds: [][][]byte{del}, Watch: w, DB: cl.db})
	switch {
	case isNullArray(reply):
		return "ERR a migrated key changed during MIGRATE: it was not deleted here"
	case len(reply) > 0 && reply[0] == '-':
		return string(reply[1 : len(reply)-2])
	}
	return ""
}
