package cluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	"github.com/hashicorp/raft-wal/metadb"
)

// The Raft log stores Config.RaftLog selects.
const (
	// RaftLogWAL is hashicorp/raft-wal in the data directory's wal/:
	// append-only segment files, one fsync per appended batch, whole
	// segments deleted after a snapshot.
	RaftLogWAL = "wal"
	// RaftLogBolt is the bbolt file raft.db (raft-boltdb v2's layout): two
	// fsyncs per batch, and a file that never shrinks.
	RaftLogBolt = "bolt"
)

// boltFileName is the bolt store's file in the data directory.
const boltFileName = "raft.db"

// raftStore is Raft's log and stable store in one.
type raftStore interface {
	raft.LogStore
	raft.StableStore
	Close() error
}

// openStore opens the Raft log cfg.RaftLog names, after moving a bolt log
// into a new wal store (see migrateBoltToWAL), and verifies every entry.
func (n *Node) openStore(hlog hclog.Logger) (raftStore, error) {
	boltPath := filepath.Join(n.cfg.Dir, boltFileName)
	walDir := filepath.Join(n.cfg.Dir, walDirName)
	hasBolt, hasWAL := exists(boltPath), exists(filepath.Join(walDir, metadb.FileName))
	var store raftStore
	var path string
	var err error
	switch {
	case n.cfg.RaftLog == RaftLogBolt && hasWAL:
		// Even beside a raft.db: that is older than wal/ (migrated into it, or
		// a copy put back), and starting from it would ignore the newer log.
		return nil, fmt.Errorf("the data directory %s holds a wal raft log (%s), not a bolt one: start with --raft-log %s",
			n.cfg.Dir, walDir, RaftLogWAL)
	case n.cfg.RaftLog == RaftLogBolt:
		store, path, err = n.openBolt(boltPath)
	default:
		store, path, err = n.openWAL(boltPath, walDir, hasBolt, hasWAL, hlog)
	}
	if err != nil {
		return nil, err
	}
	if err := n.verifyStore(store, path); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// openBolt opens the bolt store at path, checking its pages first.
func (n *Node) openBolt(path string) (raftStore, string, error) {
	if err := checkLogFile(path); err != nil {
		return nil, "", err
	}
	store, err := openLogStore(path)
	if errors.Is(err, errLogDamaged) {
		return nil, "", err
	}
	if err != nil {
		return nil, "", fmt.Errorf("failed to open raft log in %s: %w", n.cfg.Dir, err)
	}
	return store, path, nil
}

// openWAL opens the wal store in walDir; a bolt log found beside it is
// migrated into it first, or, if an earlier migration completed, renamed
// aside.
func (n *Node) openWAL(boltPath, walDir string, hasBolt, hasWAL bool, hlog hclog.Logger) (raftStore, string, error) {
	switch {
	case hasBolt && !hasWAL:
		if err := n.migrateBoltToWAL(boltPath, walDir, hlog); err != nil {
			return nil, "", err
		}
	case hasBolt:
		if err := setAsideBolt(boltPath, n.cfg.Logger, "a migration into "+walDir+" had completed"); err != nil {
			return nil, "", err
		}
	}
	store, err := openWALStore(walDir, hlog)
	if errors.Is(err, errLogDamaged) {
		return nil, "", err
	}
	if err != nil {
		return nil, "", fmt.Errorf("failed to open raft log in %s: %w", walDir, err)
	}
	return store, walDir, nil
}

// verifyStore checks every entry of store (verifyLog) and logs how long it took.
func (n *Node) verifyStore(store raftStore, path string) error {
	start := time.Now()
	if err := verifyLog(store, n.fsm.table, path); err != nil {
		return err
	}
	n.cfg.Logger.Info("raft log verified", "path", path, "store", n.cfg.RaftLog, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// exists reports whether path exists (an error other than not-existing
// counts as existing: opening it will report it).
func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}
