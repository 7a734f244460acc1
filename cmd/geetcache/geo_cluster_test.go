package main

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestGeoReplicates: GEOADD and the storing searches sent to a follower go
// through the log (the follower forwards them) and every node then holds
// the same sorted sets, distances included; the searches without STORE are
// served as reads by every node. The expected replies are redis-server
// 7.0.15's. Scripts see GEORADIUS as Redis does, a
// write by its flags: EVAL_RO refuses it, GEORADIUS_RO is allowed.
func TestGeoReplicates(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	follower := others(nodes, leader)[0].Client()
	writes := []struct {
		args []any
		n    int64
	}{
		{[]any{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania", "12.758489", "38.788135", "edge1"}, 3},
		{[]any{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "r1"}, 2},
		{[]any{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "300", "km", "STOREDIST", "r2"}, 3},
		{[]any{"GEOSEARCHSTORE", "r3", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "STOREDIST", "COUNT", "2"}, 2},
	}
	for _, w := range writes {
		n, err := follower.Do(ctx, w.args...).Int64()
		if err != nil || n != w.n {
			t.Fatalf("%v: %d %v, want %d", w.args, n, err, w.n)
		}
	}
	waitSameDigest(t, nodes)
	want := map[string][]string{
		"r1": {"Palermo", "3479099956230698", "Catania", "3479447370796909"},
		"r2": {"Palermo", "0", "edge1", "91.400658605814272", "Catania", "166.27415156960032"},
		"r3": {"Catania", "56.441257870158204", "Palermo", "190.44242984775784"},
	}
	for i, nd := range nodes {
		c := nd.Client()
		for key, w := range want {
			zs, err := c.ZRangeWithScores(ctx, key, 0, -1).Result()
			var got []string
			for _, z := range zs {
				got = append(got, z.Member.(string), strconv.FormatFloat(z.Score, 'g', 17, 64))
			}
			if err != nil || !slices.Equal(got, w) {
				t.Fatalf("node %d: ZRANGE %s = %q %v, want %q", i, key, got, err, w)
			}
		}
		got, err := c.Do(ctx, "GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "ASC").Slice()
		if err != nil || len(got) != 2 || got[0].([]any)[1] != "56.4413" {
			t.Fatalf("node %d: GEORADIUS WITHDIST = %v %v", i, got, err)
		}
		_, err = c.EvalRO(ctx, "return redis.call('georadius',KEYS[1],15,37,200,'km')", []string{"Sicily"}).Result()
		if err == nil || !strings.HasPrefix(err.Error(), "ERR Write commands are not allowed from read-only scripts.") {
			t.Fatalf("node %d: EVAL_RO of GEORADIUS: %v, want the read-only script error", i, err)
		}
		names, err := c.EvalRO(ctx, "return redis.call('georadius_ro',KEYS[1],15,37,200,'km','asc')", []string{"Sicily"}).StringSlice()
		if err != nil || !slices.Equal(names, []string{"Catania", "Palermo"}) {
			t.Fatalf("node %d: EVAL_RO of GEORADIUS_RO = %q %v", i, names, err)
		}
	}
}
