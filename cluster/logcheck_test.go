package cluster

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/protocol"
)

// TestVerifyLog: the start-up check refuses a log whose entries or raft
// fields were damaged, and an entry from a newer geetcache, with the entry's
// index in the error; a sound log passes.
func TestVerifyLog(t *testing.T) {
	config := raft.EncodeConfiguration(raft.Configuration{Servers: []raft.Server{{ID: "n1", Address: "127.0.0.1:1"}}})
	set := commandLog(one("SET", "k", "v"))[0].Data
	sound := func() []*raft.Log {
		return []*raft.Log{
			{Index: 1, Term: 1, Type: raft.LogConfiguration, Data: config},
			{Index: 2, Term: 2, Type: raft.LogNoop},
			{Index: 3, Term: 2, Type: raft.LogCommand, Data: set},
			{Index: 4, Term: 2, Type: raft.LogBarrier},
			{Index: 5, Term: 3, Type: raft.LogCommand, Data: set},
		}
	}
	tests := []struct {
		name   string
		damage func(logs []*raft.Log)
		want   string // "" for a sound log
	}{
		{"sound", func([]*raft.Log) {}, ""},
		{"command byte flipped", func(l []*raft.Log) { l[2].Data = flip(set, len(set)/2) }, "log entry 3: damaged log entry: checksum mismatch"},
		{"command turned into a no-op", func(l []*raft.Log) { l[2].Type = raft.LogNoop }, "log entry 3: a LogNoop entry holds"},
		{"unknown type", func(l []*raft.Log) { l[2].Type = 77 }, "log entry 3: unknown entry type 77"},
		{"term going back", func(l []*raft.Log) { l[3].Term = 1 }, "log entry 4: term 1 is below the previous entry's 2"},
		{"index field", func(l []*raft.Log) { l[3].Index = 40 }, "log entry 4: stored under index 4 but says 40"},
		{"configuration", func(l []*raft.Log) { l[0].Data = l[0].Data[:len(l[0].Data)/2] }, "failed to decode configuration"},
		{"newer command", func(l []*raft.Log) { l[4].Data = commandLog(one("FUTURECMD", "k"))[0].Data }, "log entry 5: log entry written by a newer geetcache"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			logs := sound()
			store := raft.NewInmemStore()
			if err := store.StoreLogs(logs); err != nil {
				t.Fatal(err)
			}
			tc.damage(logs) // the store keeps these very logs: damage them in place
			err := verifyLog(store, protocol.DataTable(), "raft.db")
			if tc.want == "" {
				if err != nil {
					t.Fatalf("sound log refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line containing %q", err, tc.want)
			}
			newer := errors.Is(err, protocol.ErrEntryTooNew)
			if hint := map[bool]string{true: "upgrade", false: "wipe"}[newer]; !strings.Contains(err.Error(), hint) {
				t.Fatalf("error %q does not say %q", err, hint)
			}
		})
	}
}
