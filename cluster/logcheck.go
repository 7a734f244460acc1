package cluster

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/hashicorp/raft"
	"go.etcd.io/bbolt"

	"github.com/geetcache/geetcache/protocol"
)

// errLogDamaged marks a raft log file that cannot be trusted.
var errLogDamaged = errors.New("damaged")

// logFileDamaged returns the error that stops a node whose raft log file is
// damaged: what is damaged, and how to recover.
func logFileDamaged(path string, detail any) error {
	return fmt.Errorf("raft log %s is %w (%v); %s", path, errLogDamaged, detail, snapshotRecoverHint)
}

// checkLogFile reads every page of the bbolt file at path that holds data,
// read-only, before the store opens it for writing. bbolt panics on a
// damaged page ("assertion failed: Page expected to be ..."), and when it
// opens a file for writing it scans the pages in a goroutine of its own,
// where nobody can recover the panic; read here first, in this goroutine,
// the panic becomes an error. A missing file is fine (a new node).
func checkLogFile(path string) (err error) {
	if _, statErr := os.Stat(path); errors.Is(statErr, os.ErrNotExist) {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = logFileDamaged(path, r)
		}
	}()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, bbolt.ErrTimeout) {
		return fmt.Errorf("failed to open raft log %s: another process holds it: %w", path, err)
	}
	if err != nil {
		return logFileDamaged(path, err)
	}
	defer db.Close()
	return db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bbolt.Bucket) error { return walkBucket(b) })
	})
}

// walkBucket visits every key and value of b and its nested buckets, which
// makes bbolt read (and check) every branch and leaf page under b.
func walkBucket(b *bbolt.Bucket) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v != nil {
			continue
		}
		if nested := b.Bucket(k); nested != nil {
			if err := walkBucket(nested); err != nil {
				return err
			}
		}
	}
	return nil
}

// verifyLog decodes and verifies every entry in logs before raft starts, so
// that a damaged entry or one from a newer geetcache stops the node with one
// clear line instead of a wrong value, a Go panic or a silent skip later.
// path names the file in errors.
func verifyLog(logs raft.LogStore, table *protocol.Table, path string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = logFileDamaged(path, r)
		}
	}()
	first, err := logs.FirstIndex()
	if err != nil {
		return logFileDamaged(path, err)
	}
	last, err := logs.LastIndex()
	if err != nil {
		return logFileDamaged(path, err)
	}
	var prevTerm uint64
	for i := first; i != 0 && i <= last; i++ {
		term, err := verifyLogEntry(logs, table, i, prevTerm)
		if err != nil {
			if errors.Is(err, protocol.ErrEntryTooNew) {
				return fmt.Errorf("raft log %s: log entry %d: %w; %s", path, i, err, upgradeHint)
			}
			return logFileDamaged(path, fmt.Errorf("log entry %d: %w", i, err))
		}
		prevTerm = term
	}
	return nil
}

// verifyLogEntry checks entry i and returns its term. Besides a command's
// checksum it checks what raft's own fields allow: the index it is stored
// under, a term no lower than the previous entry's, a known type, no data in
// a no-op or barrier, a configuration that decodes.
func verifyLogEntry(logs raft.LogStore, table *protocol.Table, i, prevTerm uint64) (uint64, error) {
	var l raft.Log
	if err := logs.GetLog(i, &l); err != nil {
		return 0, err
	}
	switch {
	case l.Index != i:
		return 0, fmt.Errorf("stored under index %d but says %d", i, l.Index)
	case l.Term < prevTerm:
		return 0, fmt.Errorf("term %d is below the previous entry's %d", l.Term, prevTerm)
	}
	switch l.Type {
	case raft.LogCommand:
		e, err := protocol.DecodeEntry(l.Data)
		if err == nil {
			err = table.CheckEntry(&e)
		}
		return l.Term, err
	case raft.LogNoop, raft.LogBarrier:
		if len(l.Data) != 0 {
			return 0, fmt.Errorf("a %v entry holds %d bytes of data", l.Type, len(l.Data))
		}
	case raft.LogConfiguration:
		raft.DecodeConfiguration(l.Data) // panics on damage: verifyLog recovers
	default:
		return 0, fmt.Errorf("unknown entry type %d", l.Type)
	}
	return l.Term, nil
}
