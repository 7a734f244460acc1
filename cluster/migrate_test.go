package cluster

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
)

// TestMigrationCopyIsVerified: the wal copy of a bolt store is read back
// and compared before it is used; a copy missing its last entry, or
// holding another term, is refused.
func TestMigrationCopyIsVerified(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, s *walStore)
		want   string // "" for a good copy
	}{
		{"good copy", func(*testing.T, *walStore) {}, ""},
		{"last entry missing", func(t *testing.T, s *walStore) {
			if err := s.DeleteRange(4, 4); err != nil {
				t.Fatal(err)
			}
		}, "entries 1 to 4 copied as 1 to 3"},
		{"other term", func(t *testing.T, s *walStore) {
			if err := s.SetUint64([]byte("CurrentTerm"), 6); err != nil {
				t.Fatal(err)
			}
		}, "stable store key CurrentTerm differs"},
		{"other vote", func(t *testing.T, s *walStore) {
			if err := s.Set([]byte("LastVoteCand"), []byte("n2")); err != nil {
				t.Fatal(err)
			}
		}, "stable store key LastVoteCand differs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src := openTestLogStore(t, filepath.Join(dir, "raft.db"))
			defer src.Close()
			if err := src.StoreLogs(sampleLogs()); err != nil {
				t.Fatal(err)
			}
			if err := src.SetUint64([]byte("CurrentTerm"), 5); err != nil {
				t.Fatal(err)
			}
			if err := src.Set([]byte("LastVoteCand"), []byte("n1")); err != nil {
				t.Fatal(err)
			}
			walDir := filepath.Join(dir, "wal.migrating")
			hlog := hclog.NewNullLogger()
			if err := copyStore(src, walDir, hlog); err != nil {
				t.Fatal(err)
			}
			dst, err := openWALStore(walDir, hlog)
			if err != nil {
				t.Fatal(err)
			}
			tc.damage(t, dst)
			if err := dst.Close(); err != nil {
				t.Fatal(err)
			}
			err = verifyCopy(src, walDir, hlog)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("verifyCopy of a good copy: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("verifyCopy = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
