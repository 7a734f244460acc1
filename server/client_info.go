package server

import (
	"cmp"
	"net"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// clientSnapshot is what CLIENT LIST shows of one connection, copied under
// its lock.
type clientSnapshot struct {
	db       int
	id       int64
	addr     string
	laddr    string
	fd       int
	name     string
	age      int64
	idle     int64
	noEvict  bool
	readOnly bool
	queued   int // MULTI's queued commands, -1 outside a transaction
	lastCmd  string
	user     string
	proto    int
	argvMem  int // bytes of the arguments being run (the caller's own only)
	qbuf     int // the caller's own: its command as it arrived (RESP), as Redis's query buffer holds it
	qbufSize int // the read buffer's size: 0 while an idle client gave it back (readbuf.go)
	outBytes int // reply bytes queued and not yet written (the caller's own only)
	pushed   int // bytes in a subscribed connection's push queue, not yet written
	// subs counts subscriptions: channels, patterns, shard channels.
	subs       [3]int64
	subscribed bool
	trk        trackFlags // its tracking mode, for flags and redir
	blocked    bool       // in a blocking command, past its first attempt
	monitor    bool       // MONITOR
	unix       bool       // connected through the Unix socket (unixsocket.go)
}

// snapshot copies cl's state at now. self is the connection asking: only
// its own buffers may be read, since it is the goroutine that owns them.
func (cl *client) snapshot(now time.Time, self *protocol.Ctx) clientSnapshot {
	cl.mu.Lock()
	s := clientSnapshot{
		db: cl.db, id: cl.id, name: cl.name, noEvict: cl.noEvict, readOnly: cl.readOnly, queued: cl.queued, lastCmd: cl.lastCmd, proto: cl.proto, user: cl.userName,
		age: now.Unix() - cl.created.Unix(), idle: now.Unix() - cl.lastUsed.Unix(),
	}
	cl.mu.Unlock()
	for k := range s.subs {
		s.subs[k] = cl.subs.counts[k].Load()
	}
	s.subscribed = cl.subscribed.Load()
	s.trk = cl.trk.snapshot()
	s.qbufSize = int(cl.readBuf.Load())
	s.blocked = cl.waiting.Load() != nil || cl.blockedAtLeader.Load() || cl.paused.Load()
	s.monitor = cl.monitoring.Load()
	s.addr, s.laddr, s.fd = peerAddr(cl.nc), clientLocalAddr(cl.nc), connFD(cl.nc)
	s.unix = isUnix(cl.nc)
	if self != nil && self.Conn == cl {
		s.qbuf = respLen(self.Args)
		for _, a := range self.Args {
			s.argvMem += len(a)
		}
		s.outBytes = cl.pendingOut()
	}
	if p := cl.pushView.Load(); p != nil {
		s.pushed = int(p.queued.Load())
	}
	return s
}

func addrString(a net.Addr) string {
	if a == nil {
		return ""
	}
	return a.String()
}

// connFD returns the connection's file descriptor, or -1 when it has none.
func connFD(nc net.Conn) int {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return -1
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	if raw.Control(func(f uintptr) { fd = int(f) }) != nil {
		return -1
	}
	return fd
}

// flags is the flags= field: one letter per state in Redis's order (O
// MONITOR, P
// subscribed, x in MULTI, b blocked, t tracking, R its redirection
// broken, B BCAST, U Unix socket, r READONLY, e NO-EVICT), N for none.
func (s clientSnapshot) flags() string {
	var f []byte
	if s.monitor {
		f = append(f, 'O')
	}
	if s.subscribed {
		f = append(f, 'P')
	}
	if s.queued >= 0 {
		f = append(f, 'x')
	}
	if s.blocked {
		f = append(f, 'b')
	}
	if s.trk.on {
		f = append(f, 't')
	}
	if s.trk.broken {
		f = append(f, 'R')
	}
	if s.trk.bcast {
		f = append(f, 'B')
	}
	if s.unix {
		f = append(f, 'U')
	}
	if s.readOnly {
		f = append(f, 'r')
	}
	if s.noEvict {
		f = append(f, 'e')
	}
	if len(f) == 0 {
		return "N"
	}
	return string(f)
}

// totMem is the memory of the client's buffers, CLIENT LIST's tot-mem.
func (s clientSnapshot) totMem() int { return s.qbufSize + s.argvMem + s.outBytes + s.pushed }

// appendLine appends the CLIENT LIST line of s, field for field as Redis
// 7.0.15 prints it. Fields geetcache does not track are 0: it keeps no
// per-client query buffer (redcon's reader owns it) nor reply lists.
func (s clientSnapshot) appendLine(b []byte) []byte {
	cmd := s.lastCmd
	if cmd == "" {
		cmd = "NULL"
	}
	b = appendField(b, "id=", strconv.FormatInt(s.id, 10))
	b = appendField(b, " addr=", s.addr)
	b = appendField(b, " laddr=", s.laddr)
	b = appendField(b, " fd=", strconv.Itoa(s.fd))
	b = appendField(b, " name=", s.name)
	b = appendField(b, " age=", strconv.FormatInt(s.age, 10))
	b = appendField(b, " idle=", strconv.FormatInt(s.idle, 10))
	b = appendField(b, " flags=", s.flags())
	b = appendField(b, " db=", strconv.Itoa(s.db))
	b = appendField(b, " sub=", strconv.FormatInt(s.subs[0], 10))
	b = appendField(b, " psub=", strconv.FormatInt(s.subs[1], 10))
	b = appendField(b, " ssub=", strconv.FormatInt(s.subs[2], 10))
	b = appendField(b, " multi=", strconv.Itoa(s.queued))
	b = appendField(b, " qbuf=", strconv.Itoa(s.qbuf))
	b = appendField(b, " qbuf-free=", strconv.Itoa(max(s.qbufSize-s.qbuf, 0)))
	b = appendField(b, " argv-mem=", strconv.Itoa(s.argvMem))
	b = append(b, " multi-mem=0 rbs=0 rbp=0"...)
	b = appendField(b, " obl=", strconv.Itoa(s.outBytes))
	b = append(b, " oll=0"...)
	b = appendField(b, " omem=", strconv.Itoa(s.pushed))
	b = appendField(b, " tot-mem=", strconv.Itoa(s.totMem()))
	b = append(b, " events=r"...)
	b = appendField(b, " cmd=", cmd)
	b = appendField(b, " user=", ifElse(s.user == "", defaultUser, s.user))
	b = appendField(b, " redir=", strconv.FormatInt(ifElse(s.trk.on, s.trk.redirect, -1), 10))
	b = appendField(b, " resp=", strconv.Itoa(s.proto))
	return append(b, '\n')
}

func appendField(b []byte, key, val string) []byte {
	return append(append(b, key...), val...)
}

// clientsByID returns the connected clients in id order (the order Redis
// lists them in: connection order).
func (s *Server) clientsByID() []*client {
	s.mu.Lock()
	all := make([]*client, 0, len(s.clients))
	for _, c := range s.clients {
		all = append(all, c)
	}
	s.mu.Unlock()
	slices.SortFunc(all, func(a, b *client) int { return cmp.Compare(a.id, b.id) })
	return all
}

// clientByID returns the connected client with that id, or nil.
func (s *Server) clientByID(id int64) *client {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clients[id]
}

// respLen is the length of args sent as a RESP array of bulk strings.
func respLen(args [][]byte) int {
	n := 3 + len(strconv.Itoa(len(args)))
	for _, a := range args {
		n += 5 + len(strconv.Itoa(len(a))) + len(a)
	}
	return n
}
