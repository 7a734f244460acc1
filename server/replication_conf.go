package server

import (
	"net"
	"strconv"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// maxReplicaAddr is Redis's NET_HOST_STR_LEN: REPLCONF ip-address must
// be shorter.
const maxReplicaAddr = 256

// REPLCONF option value [option value ...]: as a Redis 7.0 master
// answers it. listening-port and ip-address name the replica in INFO
// replication, capa is accepted (every capability), ack records the
// replica's offset and getack are answered with nothing, rdb-only and
// rdb-filter-only are checked and accepted; any other option is an error.
func (s *Server) replconf(ctx *protocol.Ctx) {
	c, a := conn(ctx), ctx.Args
	if len(a)%2 == 0 {
		ctx.Out.Error(protocol.ErrSyntax)
		return
	}
	for j := 1; j < len(a); j += 2 {
		opt, val := a[j], a[j+1]
		switch {
		case protocol.EqualFold(opt, "listening-port"):
			n, ok := protocol.ParseInt(val)
			if !ok {
				ctx.Out.Error(protocol.ErrNotInteger)
				return
			}
			c.replPort = strconv.FormatInt(n, 10)
		case protocol.EqualFold(opt, "ip-address"):
			if len(val) >= maxReplicaAddr {
				ctx.Out.Error("ERR REPLCONF ip-address provided by replica instance is too long: " + strconv.Itoa(len(val)) + " bytes")
				return
			}
			c.replAddr = string(val)
		case protocol.EqualFold(opt, "capa"):
		case protocol.EqualFold(opt, "ack"):
			s.replicaAck(c, val)
			return // no reply, as Redis
		case protocol.EqualFold(opt, "getack"):
			return // a master has no master to ack to
		case protocol.EqualFold(opt, "rdb-only"):
			n, ok := protocol.ParseInt(val)
			if !ok {
				ctx.Out.Error(protocol.ErrNotInteger)
				return
			}
			if n < 0 || n > 1 {
				ctx.Out.Error("ERR value is out of range, value must between 0 and 1")
				return
			}
		case protocol.EqualFold(opt, "rdb-filter-only"):
		default:
			ctx.Out.Error("ERR Unrecognized REPLCONF option: " + string(opt))
			return
		}
	}
	ctx.Out.OK()
}

// replicaAck records REPLCONF ACK's offset for c's link, if c is a replica.
func (s *Server) replicaAck(c *client, val []byte) {
	v, ok := s.repl.links.Load(c)
	n, isInt := protocol.ParseInt(val)
	if !ok || !isInt {
		return
	}
	r := v.(*replicaLink)
	if n > r.ack.Load() {
		r.ack.Store(n)
	}
	r.ackAt.Store(time.Now().Unix())
}

// infoReplicaLines appends connected_slaves (members counts the Raft
// members listed before) and a slaveN line per SYNC replica, numbered
// after the members': ip, port, state, offset (the last ACK) and lag.
func (s *Server) infoReplicaLines(b []byte, members int) []byte {
	links := s.replicaLinks()
	b = infoInt(b, "connected_slaves", int64(members+len(links)))
	return s.infoLinks(b, members, links)
}

func (s *Server) infoLinks(b []byte, from int, links []*replicaLink) []byte {
	now := time.Now().Unix()
	for i, r := range links {
		ip := r.addr
		if ip == "" {
			ip, _, _ = net.SplitHostPort(addrString(r.c.nc.RemoteAddr()))
		}
		lag := int64(0)
		if at := r.ackAt.Load(); at > 0 {
			lag = now - at
		}
		b = infoLine(b, "slave"+strconv.Itoa(from+i), "ip="+ip+",port="+ifElse(r.port == "", "0", r.port)+
			",state=online,offset="+strconv.FormatInt(r.ack.Load(), 10)+",lag="+strconv.FormatInt(lag, 10))
	}
	return b
}
