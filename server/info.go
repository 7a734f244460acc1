package server

import (
	"strconv"
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// infoSection is one INFO section: the name clients ask for, the title of
// its "# Title" header, and what appends its "field:value\r\n" lines.
type infoSection struct {
	name, title string
	// inDefault sections are in the reply to INFO with no argument.
	inDefault bool
	write     func(s *Server, b []byte) []byte
}

// infoSections are in Redis's order; "raft" is geetcache's own and comes
// last, where Redis puts module sections.
var infoSections = []infoSection{
	{"server", "Server", true, (*Server).infoServer},
	{"clients", "Clients", true, (*Server).infoClients},
	{"memory", "Memory", true, (*Server).infoMemory},
	{"persistence", "Persistence", true, (*Server).infoPersistence},
	{"stats", "Stats", true, (*Server).infoStats},
	{"replication", "Replication", true, (*Server).infoReplication},
	{"cpu", "CPU", true, (*Server).infoCPU},
	{"module_list", "Modules", true, func(_ *Server, b []byte) []byte { return b }},
	{"commandstats", "Commandstats", false, func(s *Server, b []byte) []byte { return s.cmdStats.appendInfo(b) }},
	{"errorstats", "Errorstats", true, func(s *Server, b []byte) []byte { return s.errors.appendInfo(b) }},
	{"latencystats", "Latencystats", false, func(s *Server, b []byte) []byte {
		return s.cmdStats.appendLatencyInfo(b, s.settings.latency)
	}},
	{"cluster", "Cluster", true, (*Server).infoCluster},
	{"keyspace", "Keyspace", true, (*Server).infoKeyspace},
	{"raft", "Raft", true, (*Server).infoRaft},
}

func (s *Server) infoCommands() []*protocol.Command {
	return []*protocol.Command{
		{Name: "info", Arity: -1, Flags: protocol.Loading | protocol.Stale, Group: "server", Since: "1.0.0",
			Summary: "Get information and statistics about the server", Handler: protocol.HandlerFunc(s.info)},
	}
}

// INFO [section [section ...]]
//
// The reply is verbatim text in RESP3 and a bulk string in RESP2, as in
// Redis 7.0. On a follower it first catches up with what the connection
// sent to the leader (catchup.go).
func (s *Server) info(c *protocol.Ctx) {
	s.catchUp(c) // a follower reports what the connection sent through it
	s.ensureSampler()
	c.Out.Verbatim(string(s.infoText(infoSelection(c.Args[1:]))))
}

// infoSelection returns which sections the arguments ask for: none means
// the default ones; "default", "all" and "everything" are groups; other
// names are matched case-insensitively, unknown ones ignored.
func infoSelection(args [][]byte) map[string]bool {
	want := map[string]bool{}
	if len(args) == 0 {
		args = [][]byte{[]byte("default")}
	}
	for _, a := range args {
		name := strings.ToLower(string(a))
		for _, sec := range infoSections {
			if name == "all" || name == "everything" || (name == "default" && sec.inDefault) ||
				name == sec.name || (name == "modules" && sec.name == "module_list") {
				want[sec.name] = true
			}
		}
	}
	return want
}

// InfoEverything is INFO EVERYTHING's text, for the Prometheus endpoint
// (package metrics). Safe for concurrent use.
func (s *Server) InfoEverything() []byte {
	return s.infoText(infoSelection([][]byte{[]byte("everything")}))
}

// infoText builds the sections in order, separated by blank lines.
func (s *Server) infoText(want map[string]bool) []byte {
	var b []byte
	for _, sec := range infoSections {
		if !want[sec.name] {
			continue
		}
		if len(b) > 0 {
			b = append(b, "\r\n"...)
		}
		b = append(b, "# "+sec.title+"\r\n"...)
		b = sec.write(s, b)
	}
	return b
}

// infoLine appends "key:value\r\n".
func infoLine(b []byte, key, value string) []byte {
	b = append(b, key...)
	b = append(b, ':')
	b = append(b, value...)
	return append(b, '\r', '\n')
}

func infoInt(b []byte, key string, v int64) []byte {
	return infoLine(b, key, strconv.FormatInt(v, 10))
}

// bytesToHuman formats n as Redis's bytesToHuman: "512B", "1.16M".
func bytesToHuman(n uint64) string {
	if n < 1024 {
		return strconv.FormatUint(n, 10) + "B"
	}
	d := float64(n)
	for _, unit := range []string{"K", "M", "G", "T", "P"} {
		d /= 1024
		if d < 1024 {
			return strconv.FormatFloat(d, 'f', 2, 64) + unit
		}
	}
	return strconv.FormatUint(n, 10) + "B"
}
