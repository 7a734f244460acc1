package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSortStoreReplicates: SORT ... STORE sent to a follower goes through
// the log (the follower forwards it), every node then holds the same list,
// and a SORT without STORE is served as a read by every node. A set sorted
// BY nosort with STORE is sorted by its elements, so the stored list is the
// same on every node whatever the set's internal order.
func TestSortStoreReplicates(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	follower := others(nodes, leader)[0].Client()
	for _, cmd := range [][]any{
		{"RPUSH", "l", "3", "1", "2", "10"},
		{"SADD", "s", "b", "a", "c", "10"},
		{"MSET", "w_1", "30", "w_2", "20", "w_3", "10", "w_10", "0"},
	} {
		if err := follower.Do(ctx, cmd...).Err(); err != nil {
			t.Fatalf("%v: %v", cmd, err)
		}
	}
	stores := []struct {
		args []any
		n    int64
		want []string
	}{
		{[]any{"SORT", "l", "BY", "w_*", "STORE", "d1"}, 4, []string{"10", "3", "2", "1"}},
		{[]any{"SORT", "s", "BY", "nosort", "STORE", "d2"}, 4, []string{"10", "a", "b", "c"}},
		{[]any{"SORT", "l", "GET", "w_*", "DESC", "STORE", "d3"}, 4, []string{"0", "10", "20", "30"}},
	}
	for _, s := range stores {
		n, err := follower.Do(ctx, s.args...).Int64()
		if err != nil || n != s.n {
			t.Fatalf("%v: %d %v, want %d", s.args, n, err, s.n)
		}
	}
	waitSameDigest(t, nodes)
	for i, nd := range nodes {
		c := nd.Client()
		for _, s := range stores {
			dst := s.args[len(s.args)-1].(string)
			got, err := c.LRange(ctx, dst, 0, -1).Result()
			if err != nil || !slices.Equal(got, s.want) {
				t.Fatalf("node %d: LRANGE %s = %q %v, want %q", i, dst, got, err, s.want)
			}
		}
		got, err := c.Do(ctx, "SORT_RO", "l", "DESC").StringSlice()
		if err != nil || !slices.Equal(got, []string{"10", "3", "2", "1"}) {
			t.Fatalf("node %d: SORT_RO l DESC = %q %v", i, got, err)
		}
		// A script calling SORT, even without STORE, is a writing script
		// (a read probe stops at it and the script goes through the log);
		// EVAL_RO refuses it, as Redis does by SORT's write flag.
		got, err = c.Eval(ctx, "return redis.call('sort',KEYS[1],'by','nosort','desc')", []string{"l"}).StringSlice()
		if err != nil || !slices.Equal(got, []string{"10", "2", "1", "3"}) {
			t.Fatalf("node %d: EVAL of SORT BY nosort DESC = %q %v", i, got, err)
		}
		_, err = c.EvalRO(ctx, "return redis.call('sort',KEYS[1])", []string{"l"}).Result()
		if err == nil || !strings.HasPrefix(err.Error(), "ERR Write commands are not allowed from read-only scripts.") {
			t.Fatalf("node %d: EVAL_RO of SORT: %v, want the read-only script error", i, err)
		}
		got, err = c.EvalRO(ctx, "return redis.call('sort_ro',KEYS[1])", []string{"l"}).StringSlice()
		if err != nil || len(got) != 4 {
			t.Fatalf("node %d: EVAL_RO of SORT_RO = %q %v", i, got, err)
		}
	}
}
