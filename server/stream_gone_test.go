package server

import "testing"

func TestChangeNotesWindow(t *testing.T) {
	var n changeNotes
	at := func(db int, key string, ns int64) {
		n.note(db, []byte(key))
		n.slots[changeHash(db, []byte(key))&(changeSlots-1)].at = ns
	}
	at(0, "s", 100)
	at(1, "t", 200)
	for _, tc := range []struct {
		name     string
		db       int
		keys     []string
		from, to int64
		want     bool
	}{
		{"inside", 0, []string{"s"}, 50, 150, true},
		{"before from", 0, []string{"s"}, 100, 150, false},
		{"after to", 0, []string{"s"}, 50, 100, false},
		{"another key", 0, []string{"u"}, 50, 150, false},
		{"another database", 1, []string{"s"}, 50, 150, false},
		{"second of two keys", 1, []string{"x", "t"}, 150, 250, true},
	} {
		if got := n.changedWithin(tc.db, byteArgs(tc.keys), tc.from, tc.to); got != tc.want {
			t.Errorf("%s: changedWithin = %v, want %v", tc.name, got, tc.want)
		}
	}
	n.allAt = 300
	if !n.changedWithin(5, byteArgs([]string{"never"}), 250, 350) {
		t.Error("a flush inside the window: not seen")
	}
	if n.changedWithin(5, byteArgs([]string{"never"}), 300, 350) {
		t.Error("a flush at the window's start: seen")
	}
}

// TestChangeNotesSlotTaken: a key whose slot another key took since is not
// found (the call answers -NOGROUP, as before), never mistaken for the other.
func TestChangeNotesSlotTaken(t *testing.T) {
	var n changeNotes
	n.note(0, []byte("a"))
	ha := changeHash(0, []byte("a"))
	for i := 0; ; i++ { // find another key of the same slot
		k := []byte{byte(i), byte(i >> 8), byte(i >> 16)}
		if h := changeHash(0, k); h != ha && h&(changeSlots-1) == ha&(changeSlots-1) {
			n.note(0, k)
			break
		}
	}
	if n.changedWithin(0, [][]byte{[]byte("a")}, 0, 1<<62) {
		t.Error("a key whose slot was taken since: reported changed")
	}
}

// TestChangeNotesArm: noting is on once armed; blocker.Gone notes only then.
func TestChangeNotesArm(t *testing.T) {
	b := newBlocker()
	b.Gone(0, []byte("k"))
	if b.changes.slots != nil {
		t.Fatal("noted while not armed")
	}
	if b.Watching() {
		t.Fatal("watching with nobody blocked and nothing armed")
	}
	b.changes.arm()
	if !b.Watching() {
		t.Fatal("armed, but the state machine is not told to report changes")
	}
	b.Gone(0, []byte("k"))
	if !b.changes.changedWithin(0, [][]byte{[]byte("k")}, 1, 1<<62) {
		t.Fatal("a change while armed: not noted")
	}
}

// TestGoneCountsRemovalsNotWakeUps: a waiter that leaves wakes the next
// one, which must not take that for its stream going away.
func TestGoneCountsRemovalsNotWakeUps(t *testing.T) {
	b := newBlocker()
	first := b.add(0, [][]byte{[]byte("s")}, arrival{at: 1})
	second := b.add(0, [][]byte{[]byte("s")}, arrival{at: 2})
	b.remove(first)
	if second.wakesSoFar() != 1 || second.gone.Load() != 0 {
		t.Fatalf("after the first left: %d wake-ups, %d removals; want 1 and 0",
			second.wakesSoFar(), second.gone.Load())
	}
	b.Gone(0, []byte("s"))
	b.Gone(0, []byte("other"))
	if second.gone.Load() != 1 {
		t.Fatalf("after its key went: %d removals, want 1", second.gone.Load())
	}
	b.GoneAll()
	if second.gone.Load() != 2 {
		t.Fatalf("after a flush: %d removals, want 2", second.gone.Load())
	}
}
