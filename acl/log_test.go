package acl

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestLogGroupsAndBounds: an equal denial within 60 s is counted in the
// entry it repeats (moved to the front), a later one starts a new entry,
// and the log keeps LogMaxLen entries, newest first.
func TestLogGroupsAndBounds(t *testing.T) {
	l := NewLog(LogMaxLen)
	t0 := time.Unix(1_700_000_000, 0)
	e := LogEntry{Reason: "auth", Context: "toplevel", Object: "AUTH", Username: "u"}
	l.Add(e, t0)
	l.Add(LogEntry{Reason: "key", Context: "toplevel", Object: "k", Username: "u"}, t0)
	l.Add(e, t0.Add(time.Second))
	got := l.Entries(-1)
	if len(got) != 2 || got[0].Reason != "auth" || got[0].Count != 2 {
		t.Fatalf("after a repeat: %+v", got)
	}
	l.Add(e, t0.Add(2*time.Minute))
	if got := l.Entries(-1); len(got) != 3 || got[0].Count != 1 {
		t.Fatalf("after a minute: %+v", got)
	}
	for i := 0; i < 300; i++ {
		l.Add(LogEntry{Reason: "key", Object: fmt.Sprint(i)}, t0)
	}
	if got := l.Entries(-1); len(got) != LogMaxLen || got[0].Object != "299" {
		t.Fatalf("bounded log: %d entries, first %q", len(got), got[0].Object)
	}
	if got := l.Entries(2); len(got) != 2 {
		t.Fatalf("Entries(2) = %d", len(got))
	}
	l.Reset()
	if len(l.Entries(-1)) != 0 {
		t.Fatal("Reset left entries")
	}
}

// TestUsersConcurrentReaders: readers looking users up and checking them
// while the table changes (run with -race).
func TestUsersConcurrentReaders(t *testing.T) {
	users := NewUsers(testCatalog())
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if u := users.Get("u"); u != nil {
					u.CanRun("get", nil)
					u.CanKey([]byte("x"), KeyRead)
					_ = u.Describe()
				}
				_ = users.Version()
			}
		}()
	}
	for i := 0; i < 200; i++ {
		if err := users.SetUser("u", []string{"on", fmt.Sprintf(">p%d", i), "+get", "~x*"}); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			users.DelUser([]string{"u"})
		}
	}
	close(stop)
	wg.Wait()
}
