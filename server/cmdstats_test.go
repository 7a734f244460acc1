package server

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

func TestErrorCode(t *testing.T) {
	cases := []struct{ reply, want string }{
		{"-ERR unknown command\r\n", "ERR"},
		{"-WRONGTYPE Operation against a key\r\n", "WRONGTYPE"},
		{"-NOSCRIPT No matching script\r\n", "NOSCRIPT"},
		{"- lead\r\n", ""},      // the space comes first: the empty code
		{"-ERR\r\n", "ERR"},     // no space: ERR
		{"-NOSPACE\r\n", "ERR"}, // no space: ERR, not NOSPACE
		{"-X12345678901234567890123456789 y\r\n", "X12345678901234567890123456789"}, // space at byte 31
		{"-X123456789012345678901234567890 y\r\n", "ERR"},                           // space at byte 32: past Redis's window
		{"-A\r\nB C\r\n", "ERR"}, // the next reply is not looked at
	}
	for _, tc := range cases {
		t.Run(strconv.Quote(tc.reply), func(t *testing.T) {
			if got := string(errorCode([]byte(tc.reply))); got != tc.want {
				t.Errorf("errorCode(%q) = %q, want %q", tc.reply, got, tc.want)
			}
		})
	}
}

func TestErrorStatsBound(t *testing.T) {
	var es errorStats
	for i := range errorStatsMax + 10 {
		es.add([]byte("-E"+strconv.Itoa(i)+" x\r\n"), nil)
	}
	es.add([]byte("-E0 again\r\n"), nil) // a code already kept still counts as itself
	info := string(es.appendInfo(nil))
	if n := strings.Count(info, "\r\n"); n != errorStatsMax+1 {
		t.Errorf("%d lines, want %d codes and the overflow", n, errorStatsMax+1)
	}
	for _, want := range []string{"errorstat_E0:count=2\r\n", "errorstat_ERRORSTATS_OVERFLOW:count=10\r\n"} {
		if !strings.Contains(info, want) {
			t.Errorf("errorstats lacks %q", want)
		}
	}
	if got := es.total.Load(); got != errorStatsMax+11 {
		t.Errorf("total %d", got)
	}
	es.reset()
	if info := es.appendInfo(nil); len(info) != 0 || es.total.Load() != 0 {
		t.Errorf("after reset: %q, total %d", info, es.total.Load())
	}
}

func TestCmdStatsOf(t *testing.T) {
	s := New(Config{}, nil)
	cases := []struct {
		args    []string
		want    string // "" for no counters
		refused bool
	}{
		{[]string{"get", "k"}, "get", false},
		{[]string{"GET"}, "get", false}, // the command's arity is dispatch's to judge
		{[]string{"config", "GET", "x"}, "config|get", false},
		{[]string{"config", "get"}, "config|get", true},
		{[]string{"config", "nosuch"}, "", false},
		{[]string{"config"}, "config", false},
		{[]string{"client", "id"}, "client|id", false},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := make([][]byte, len(tc.args))
			for i, a := range tc.args {
				args[i] = []byte(a)
			}
			st, refused := s.cmdStats.of(s.table.Lookup(args[0]), args)
			got := ""
			if st != nil {
				got = st.name
			}
			if got != tc.want || refused != tc.refused {
				t.Errorf("of(%q) = %q, %v; want %q, %v", tc.args, got, refused, tc.want, tc.refused)
			}
		})
	}
}

func TestCmdStatsInfoLine(t *testing.T) {
	cs := newCmdStats([]*protocol.Command{{Name: "get"}, {Name: "set"}, {Name: "del"}})
	cs.named("GET").ran(2500, false)
	cs.named("get").ran(3000, true)
	cs.named("set").refused()
	want := "cmdstat_get:calls=2,usec=5,usec_per_call=2.50,rejected_calls=0,failed_calls=1\r\n" +
		"cmdstat_set:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0\r\n"
	if got := string(cs.appendInfo(nil)); got != want {
		t.Errorf("commandstats:\n%q\nwant\n%q", got, want)
	}
	cs.reset()
	if got := cs.appendInfo(nil); len(got) != 0 {
		t.Errorf("after reset: %q", got)
	}
}

// TestCommandStatsCounting sends calls down each route a single node has
// (local, read, write, rejected, a transaction) and checks the counters.
func TestCommandStatsCounting(t *testing.T) {
	r := dialRaw(t, startServer(t))
	steps := [][]string{
		{"CONFIG", "RESETSTAT"}, {"SET", "k", "v"}, {"GET", "k"}, {"GET"}, {"NOSUCH"}, {"LPUSH", "k", "x"},
		{"CLIENT", "ID"}, {"CLIENT", "NOSUCH"}, {"CONFIG", "GET"},
		{"MULTI"}, {"SET", "k", "1"}, {"INCR", "k"}, {"LPUSH", "k", "x"}, {"PING"}, {"EXEC"},
		{"MULTI"}, {"GET"}, {"EXEC"}, {"EXEC"},
	}
	for _, st := range steps {
		r.do(st...)
	}
	want := map[string]string{
		"set":              "calls=2,rejected_calls=0,failed_calls=0",
		"get":              "calls=1,rejected_calls=2,failed_calls=0",
		"lpush":            "calls=2,rejected_calls=0,failed_calls=2",
		"incr":             "calls=1,rejected_calls=0,failed_calls=0",
		"ping":             "calls=1,rejected_calls=0,failed_calls=0",
		"multi":            "calls=2,rejected_calls=0,failed_calls=0",
		"exec":             "calls=3,rejected_calls=0,failed_calls=2",
		"client|id":        "calls=1,rejected_calls=0,failed_calls=0",
		"config|get":       "calls=0,rejected_calls=1,failed_calls=0",
		"config|resetstat": "calls=1,rejected_calls=0,failed_calls=0",
	}
	got := map[string]string{}
	line := regexp.MustCompile(`^cmdstat_([a-z|]+):(calls=\d+),usec=\d+,usec_per_call=[\d.]+,(rejected_calls=\d+,failed_calls=\d+)$`)
	for _, l := range strings.Split(infoBody(t, r.do("INFO", "commandstats")), "\r\n")[1:] {
		if l == "" {
			continue
		}
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("malformed line %q", l)
		}
		got[m[1]] = m[2] + "," + m[3]
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("cmdstat_%s = %q, want %q", name, got[name], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("commands counted: %v", got)
	}
	errs := infoBody(t, r.do("INFO", "errorstats"))
	if want := "# Errorstats\r\nerrorstat_ERR:count=6\r\nerrorstat_EXECABORT:count=1\r\nerrorstat_WRONGTYPE:count=2\r\n"; errs != want {
		t.Errorf("errorstats %q, want %q", errs, want)
	}
}

// TestLatencyHistogram checks the HDR bucket arithmetic against figures
// redis-server 7.0.15 printed (p0 is a bucket's lowest value, other
// percentiles its highest): 8 us -> 8.000/8.031, 43 us -> 42.752/43.007,
// 10 us -> 9.984/10.047, 12.6 ms -> 12582.912/12648.447.
func TestLatencyHistogram(t *testing.T) {
	cases := []struct {
		d             time.Duration
		lowest, upper string
	}{
		{8 * time.Microsecond, "8.000", "8.031"},
		{43 * time.Microsecond, "42.752", "43.007"},
		{10 * time.Microsecond, "9.984", "10.047"},
		{12600 * time.Microsecond, "12582.912", "12648.447"},
		{0, "0.001", "0.001"},                          // below the range: 1 ns
		{100 * time.Nanosecond, "0.001", "0.001"},      // whole microseconds: 0 us
		{3 * time.Second, "998244.352", "1002438.655"}, // above the range: 1 s
		{200 * time.Microsecond, "199.680", "200.703"},
	}
	for _, tc := range cases {
		t.Run(tc.d.String(), func(t *testing.T) {
			var h latencyHist
			h.record(tc.d, 1)
			got := h.percentiles([]float64{0, 50, 100})
			f := func(v int64) string { return strconv.FormatFloat(float64(v)/1000, 'f', 3, 64) }
			if f(got[0]) != tc.lowest || f(got[1]) != tc.upper || f(got[2]) != tc.upper {
				t.Errorf("p0,p50,p100 = %s,%s,%s; want %s,%s,%s", f(got[0]), f(got[1]), f(got[2]), tc.lowest, tc.upper, tc.upper)
			}
		})
	}
	var h latencyHist
	for i := 1; i <= 100; i++ {
		h.record(time.Duration(i)*time.Microsecond, 1)
	}
	if got := h.percentiles([]float64{50, 99, 99.9, 150}); got[0] != 50175 || got[1] != 99327 || got[2] != 100351 || got[3] != 100351 {
		t.Errorf("1..100 us: p50, p99, p99.9, p150 = %v", got)
	}
}

func TestLatencyPercentilesSetting(t *testing.T) {
	st := newSettings(Config{})
	cases := []struct{ set, reason, get string }{
		{"99.99 0.5 33.333333", "", "99.99 0.5 33.333333"},
		{"0.0 50.0 100.0", "", "0 50 100"},
		{"10.0 50.0 a", "Invalid latency-tracking-info-percentiles parameters", "0 50 100"},
		{"10 101", "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]", "0 50 100"},
		{"-1", "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]", "0 50 100"},
		{"", "", ""},
	}
	for _, tc := range cases {
		apply, reason := setLatencyPercentiles(st, []byte(tc.set))
		if reason != tc.reason {
			t.Errorf("set %q: reason %q, want %q", tc.set, reason, tc.reason)
		}
		if apply != nil {
			apply()
		}
		if got := getLatencyPercentiles(st); got != tc.get {
			t.Errorf("after set %q: get %q, want %q", tc.set, got, tc.get)
		}
	}
}

// BenchmarkCountReads is what counting adds to each read of a pipelined
// group (countReads: one clock read per group, counters, latency).
func BenchmarkCountReads(b *testing.B) {
	for _, latency := range []bool{false, true} {
		b.Run("latency="+strconv.FormatBool(latency), func(b *testing.B) {
			s := New(Config{}, nil)
			s.settings.latency.on.Store(latency)
			c := &client{}
			get := s.table.Lookup([]byte("get"))
			calls := make([]call, 16)
			marks := make([]int, 16)
			for i := range calls {
				calls[i] = call{cmd: get, args: [][]byte{[]byte("get"), []byte("k")}, ok: true}
				c.out.Bulk([]byte("value"))
				marks[i] = i * 11
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i += len(calls) {
				s.countReads(c, calls, time.Now(), marks)
			}
		})
	}
}

// TestCommandStatsPipelinedReads sends a pipeline of reads, some failing,
// of several commands: countReads adds them up by runs of one command.
func TestCommandStatsPipelinedReads(t *testing.T) {
	r := dialRaw(t, startServer(t))
	r.do("RPUSH", "l", "x")
	r.do("SET", "s", "v")
	r.do("CONFIG", "RESETSTAT")
	pipeline := [][]string{{"GET", "s"}, {"GET", "l"}, {"GET", "s"}, {"STRLEN", "s"}, {"STRLEN", "l"}, {"GET", "s"},
		{"CONFIG", "GET", "maxmemory"}, {"GET", "l"}}
	for _, cmd := range pipeline {
		r.send(cmd...)
	}
	for range pipeline {
		r.reply()
	}
	info := infoBody(t, r.do("INFO", "commandstats"))
	for _, want := range []string{`cmdstat_get:calls=5,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=2\r\n`,
		`cmdstat_strlen:calls=2,[^\r]*,failed_calls=1\r\n`, `cmdstat_config\|get:calls=1,[^\r]*,failed_calls=0\r\n`} {
		if !regexp.MustCompile(want).MatchString(info) {
			t.Errorf("commandstats lacks %s:\n%s", want, info)
		}
	}
	if errs := infoBody(t, r.do("INFO", "errorstats")); errs != "# Errorstats\r\nerrorstat_WRONGTYPE:count=3\r\n" {
		t.Errorf("errorstats %q", errs)
	}
	if stats := infoBody(t, r.do("INFO", "stats")); !strings.Contains(stats, "total_commands_processed:11\r\n") {
		t.Errorf("INFO stats: %s", stats) // RESETSTAT, 8 calls, two INFOs
	}
}
