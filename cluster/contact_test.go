package cluster

import (
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

func TestContactBook(t *testing.T) {
	type step struct {
		heard raft.ServerID // "" for none
		at    time.Duration
	}
	cases := []struct {
		name  string
		steps []step
		ask   raft.ServerID
		now   time.Duration
		want  time.Duration
	}{
		{"never heard", nil, "a", time.Second, -1},
		{"another peer heard", []step{{"b", time.Second}}, "a", 2 * time.Second, -1},
		{"heard once", []step{{"a", time.Second}}, "a", 3 * time.Second, 2 * time.Second},
		{"the latest answer counts", []step{{"a", time.Second}, {"a", 5 * time.Second}}, "a", 6 * time.Second, time.Second},
		{"just now", []step{{"a", time.Second}}, "a", time.Second, 0},
		{"clock read before the answer", []step{{"a", 2 * time.Second}}, "a", time.Second, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := newContactBook()
			for _, s := range tc.steps {
				b.heardAt(s.heard, s.at)
			}
			if got := b.ageAt(tc.ask, tc.now); got != tc.want {
				t.Errorf("age of %s = %v, want %v", tc.ask, got, tc.want)
			}
		})
	}
}

func TestContactBookRetain(t *testing.T) {
	b := newContactBook()
	for _, id := range []raft.ServerID{"a", "b", "gone"} {
		b.heardAt(id, time.Second)
	}
	b.retain([]raft.Server{{ID: "a"}, {ID: "b"}})
	if len(b.at) != 2 || b.ageAt("gone", time.Second) != -1 || b.ageAt("a", time.Second) != 0 {
		t.Errorf("after retain: %d peers, gone %v, a %v", len(b.at), b.ageAt("gone", time.Second), b.ageAt("a", time.Second))
	}
}

func TestContactBookConcurrent(t *testing.T) {
	b := newContactBook()
	ids := []raft.ServerID{"a", "b", "c"}
	members := []raft.Server{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 1000 {
				id := ids[(i+j)%len(ids)]
				b.heard(id)
				if b.age(id) < 0 {
					t.Errorf("%s was just heard but has no age", id)
					return
				}
				if j%100 == 0 {
					b.heard("removed")
					b.retain(members)
				}
			}
		})
	}
	wg.Wait()
}

func TestContactViewOf(t *testing.T) {
	book := newContactBook()
	book.heardAt("n2", time.Second)
	leader := contactView{self: "n1", leader: "n1", leading: true, book: book, now: 3 * time.Second}
	follower := contactView{self: "n2", leader: "n1", own: 300 * time.Millisecond, book: book}
	candidate := contactView{self: "n2", own: 5 * time.Second, book: book}
	cases := []struct {
		name string
		view contactView
		id   raft.ServerID
		want time.Duration
	}{
		{"the leader itself", leader, "n1", 0},
		{"the leader's follower that answered", leader, "n2", 2 * time.Second},
		{"the leader's follower that never answered", leader, "n3", -1},
		{"a follower itself", follower, "n2", 300 * time.Millisecond},
		{"a follower's leader", follower, "n1", 300 * time.Millisecond},
		{"another follower, seen by a follower", follower, "n3", -1},
		{"a candidate itself", candidate, "n2", 5 * time.Second},
		{"another member, seen by a candidate", candidate, "n1", -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.view.of(tc.id); got != tc.want {
				t.Errorf("of(%s) = %v, want %v", tc.id, got, tc.want)
			}
		})
	}
}

// TestContactTransport: an answered AppendEntries or InstallSnapshot RPC is
// noted; a failed one is not.
func TestContactTransport(t *testing.T) {
	_, local := raft.NewInmemTransport("a")
	peerAddr, peer := raft.NewInmemTransport("b")
	local.Connect(peerAddr, peer)
	stop := make(chan struct{})
	defer close(stop)
	go answer(peer, stop)
	tr := contactTransport{local, newContactBook()}

	var resp raft.AppendEntriesResponse
	if err := tr.AppendEntries("b", peerAddr, &raft.AppendEntriesRequest{}, &resp); err != nil {
		t.Fatalf("AppendEntries to a connected peer: %v", err)
	}
	if err := tr.AppendEntries("c", "nowhere", &raft.AppendEntriesRequest{}, &resp); err == nil {
		t.Fatal("AppendEntries to an unknown peer succeeded")
	}
	if age := tr.book.age("b"); age < 0 {
		t.Errorf("the peer that answered has age %v", age)
	}
	if age := tr.book.age("c"); age != -1 {
		t.Errorf("the peer that never answered has age %v, want -1", age)
	}
}

// answer replies to every RPC tr receives until stop closes.
func answer(tr *raft.InmemTransport, stop chan struct{}) {
	for {
		select {
		case rpc := <-tr.Consumer():
			rpc.Respond(&raft.AppendEntriesResponse{Success: true}, nil)
		case <-stop:
			return
		}
	}
}

func TestContactBookHeardDoesNotAllocate(t *testing.T) {
	b := newContactBook()
	b.heard("a")
	if n := testing.AllocsPerRun(100, func() { b.heard("a") }); n != 0 {
		t.Errorf("heard allocates %v times per call for a known peer", n)
	}
}
