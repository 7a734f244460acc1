package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape GETs url and parses it as Prometheus's text format.
func scrape(url string) (map[string]float64, []string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		return nil, nil, fmt.Errorf("parse %s: %w", url, err)
	}
	series := map[string]float64{}
	var names []string
	for name, f := range families {
		names = append(names, name)
		for _, m := range f.GetMetric() {
			key := name
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+strconv.Quote(l.GetValue()))
			}
			if len(labels) > 0 {
				key += "{" + strings.Join(labels, ",") + "}"
			}
			switch {
			case m.GetGauge() != nil:
				series[key] = m.GetGauge().GetValue()
			case m.GetCounter() != nil:
				series[key] = m.GetCounter().GetValue()
			case m.GetUntyped() != nil:
				series[key] = m.GetUntyped().GetValue()
			}
		}
	}
	sort.Strings(names)
	return series, names, nil
}

// TestMetricsEndpoint: --metrics-addr serves Prometheus's text format
// (parsed with prometheus/common/expfmt) with INFO's figures, command
// statistics, the keyspace, the Raft state and the Go runtime's.
func TestMetricsEndpoint(t *testing.T) {
	addr := "127.0.0.1:" + strconv.Itoa(freePorts(t, 1)[0])
	n := startNode(t, "--metrics-addr", addr)
	c := n.Client(noRetries)
	if err := c.Set(ctx, "k", "v", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	c.Get(ctx, "k")
	c.Get(ctx, "missing")
	series, names, err := scrape("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d families: %s", len(names), strings.Join(names, " "))
	for key, want := range map[string]float64{
		`geetcache_commands_total{cmd="set"}`: 1, `geetcache_commands_total{cmd="get"}`: 2,
		`geetcache_db_keys{db="db0"}`: 1, `geetcache_db_keys_expiring{db="db0"}`: 1,
		`geetcache_raft_leader`: 1, `geetcache_raft_state{state="Leader"}`: 1, `geetcache_raft_members`: 1,
		`geetcache_connected_clients`: 1, `geetcache_loading`: 0,
		`geetcache_keyspace_hits_total`: 1, `geetcache_keyspace_misses_total`: 1, `geetcache_expired_keys_total`: 0,
	} {
		if got, ok := series[key]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", key, got, ok, want)
		}
	}
	for _, key := range []string{"geetcache_used_memory", "geetcache_raft_commit_index", "geetcache_raft_applied_index",
		"geetcache_raft_term", "geetcache_commands_processed_total", `geetcache_commands_duration_seconds_total{cmd="set"}`,
		`geetcache_command_latency_seconds{cmd="set",quantile="0.99"}`, "go_goroutines", "process_resident_memory_bytes"} {
		if _, ok := series[key]; !ok {
			t.Errorf("%s is missing", key)
		}
	}
}

// TestRedisExporterScrapes: redis_exporter (Debian's
// prometheus-redis-exporter) pointed at a node scrapes it: redis_up 1 and
// no scrape error. The exporter's complaints about commands geetcache
// lacks are logged.
func TestRedisExporterScrapes(t *testing.T) {
	bin, err := exec.LookPath("prometheus-redis-exporter")
	if err != nil {
		t.Skip("prometheus-redis-exporter is not installed (apt-get install prometheus-redis-exporter)")
	}
	n := startNode(t)
	if err := n.Client(noRetries).Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	web := "127.0.0.1:" + strconv.Itoa(freePorts(t, 1)[0])
	cmd := exec.Command(bin, "-redis.addr", "redis://"+n.addr(), "-web.listen-address", web)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var complaints []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "level=error") || strings.Contains(sc.Text(), "level=warn") {
				complaints = append(complaints, sc.Text())
			}
		}
	}()
	var series map[string]float64
	waitFor(t, 10*time.Second, func() error {
		var err error
		series, _, err = scrape("http://" + web + "/metrics")
		return err
	})
	for key, want := range map[string]float64{"redis_up": 1, `redis_exporter_last_scrape_error{err=""}`: 0,
		`redis_db_keys{db="db0"}`: 1, `redis_commands_total{cmd="set"}`: 1} {
		if got, ok := series[key]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", key, got, ok, want)
		}
	}
	t.Logf("redis_exporter reported %d series", len(series))
	cmd.Process.Kill()
	<-done
	for _, l := range complaints {
		t.Logf("redis_exporter: %s", l)
	}
}
