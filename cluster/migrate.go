package cluster

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	"go.etcd.io/bbolt"
)

// migrateBatchBytes bounds the data of one batch copied into the wal store.
const migrateBatchBytes = 16 << 20

// stableUint64Keys are the stable-store keys Raft writes with SetUint64:
// the bolt store encodes them big-endian, raft-wal little-endian.
var stableUint64Keys = map[string]bool{"CurrentTerm": true, "LastVoteTerm": true}

// migrateBoltToWAL copies a bolt data directory's Raft log and stable
// store into a new wal store in walDir, then renames the bolt file aside.
// The copy is built in walDir+".migrating" (every batch and key synced),
// read back and compared with the bolt store (verifyCopy), and renamed to
// walDir only then; the bolt file is renamed aside, never deleted. A
// failed comparison stops the start with the bolt file in place. A crash
// before the rename to walDir
// leaves the bolt file in use and the next start migrates again; after
// it, the next start opens the wal store and sets the bolt file aside.
func (n *Node) migrateBoltToWAL(boltPath, walDir string, hlog hclog.Logger) error {
	src, _, err := n.openBolt(boltPath)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := n.verifyStore(src, boltPath); err != nil {
		return err
	}
	tmp := walDir + ".migrating"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("failed to remove an unfinished migration %s: %w", tmp, err)
	}
	if err := copyStore(src.(*logStore), tmp, hlog); err != nil {
		return fmt.Errorf("failed to migrate the raft log %s into %s: %w", boltPath, walDir, err)
	}
	if err := verifyCopy(src.(*logStore), tmp, hlog); err != nil {
		return fmt.Errorf("the raft log migrated from %s into %s differs from it (%w); %s is unchanged: start with --raft-log %s to keep using it",
			boltPath, tmp, err, boltPath, RaftLogBolt)
	}
	if err := renameSynced(tmp, walDir); err != nil {
		return err
	}
	n.cfg.Logger.Warn("migrated the bolt raft log into the wal store", "from", boltPath, "to", walDir)
	return setAsideBolt(boltPath, n.cfg.Logger, "its log and stable store were migrated into "+walDir)
}

// copyStore copies src's log and stable store into a new wal store in dir.
func copyStore(src *logStore, dir string, hlog hclog.Logger) error {
	dst, err := openWALStore(dir, hlog)
	if err != nil {
		return err
	}
	err = errors.Join(copyLogs(src, dst), copyStable(src, dst))
	return errors.Join(err, dst.Close(), syncDir(dir))
}

// copyLogs copies every log entry, in batches of about migrateBatchBytes.
func copyLogs(src, dst raft.LogStore) error {
	first, err := src.FirstIndex()
	if err != nil {
		return err
	}
	last, err := src.LastIndex()
	if err != nil || first == 0 {
		return err
	}
	var batch []*raft.Log
	size := 0
	for i := first; i <= last; i++ {
		l := new(raft.Log)
		if err := src.GetLog(i, l); err != nil {
			return fmt.Errorf("log entry %d: %w", i, err)
		}
		batch, size = append(batch, l), size+len(l.Data)
		if size >= migrateBatchBytes || i == last {
			if err := dst.StoreLogs(batch); err != nil {
				return err
			}
			batch, size = batch[:0], 0
		}
	}
	return nil
}

// verifyCopy opens the wal store copyStore built in dir and compares it
// with src: the same first and last index, every entry equal field by
// field, every stable-store key equal.
func verifyCopy(src *logStore, dir string, hlog hclog.Logger) error {
	dst, err := openWALStore(dir, hlog)
	if err != nil {
		return err
	}
	return errors.Join(sameLogs(src, dst), sameStable(src, dst), dst.Close())
}

// sameLogs compares two log stores entry by entry.
func sameLogs(a, b raft.LogStore) error {
	aFirst, aLast, err := bounds(a)
	if err != nil {
		return err
	}
	bFirst, bLast, err := bounds(b)
	if err != nil {
		return err
	}
	if aFirst != bFirst || aLast != bLast {
		return fmt.Errorf("entries %d to %d copied as %d to %d", aFirst, aLast, bFirst, bLast)
	}
	for i := aFirst; i <= aLast && aFirst != 0; i++ {
		var x, y raft.Log
		if err := errors.Join(a.GetLog(i, &x), b.GetLog(i, &y)); err != nil {
			return fmt.Errorf("log entry %d: %w", i, err)
		}
		if !sameLog(&x, &y) {
			return fmt.Errorf("log entry %d differs in the copy", i)
		}
	}
	return nil
}

// bounds returns a log store's first and last index.
func bounds(s raft.LogStore) (first, last uint64, err error) {
	if first, err = s.FirstIndex(); err != nil {
		return 0, 0, err
	}
	last, err = s.LastIndex()
	return first, last, err
}

// sameLog reports whether two entries are equal in every field Raft reads.
func sameLog(x, y *raft.Log) bool {
	return x.Index == y.Index && x.Term == y.Term && x.Type == y.Type && bytes.Equal(x.Data, y.Data) &&
		bytes.Equal(x.Extensions, y.Extensions) && x.AppendedAt.Equal(y.AppendedAt)
}

// sameStable checks that dst holds every stable-store key of src.
func sameStable(src *logStore, dst raft.StableStore) error {
	return src.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketConf).ForEach(func(k, v []byte) error {
			if stableUint64Keys[string(k)] {
				got, err := dst.GetUint64(k)
				if err != nil || len(v) != 8 || got != binary.BigEndian.Uint64(v) {
					return fmt.Errorf("stable store key %s differs in the copy (%v)", k, err)
				}
				return nil
			}
			got, err := dst.Get(k)
			if err != nil || !bytes.Equal(got, v) {
				return fmt.Errorf("stable store key %s differs in the copy (%v)", k, err)
			}
			return nil
		})
	})
}

// copyStable copies every stable-store key.
func copyStable(src *logStore, dst raft.StableStore) error {
	return src.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketConf).ForEach(func(k, v []byte) error {
			if !stableUint64Keys[string(k)] {
				return dst.Set(k, append([]byte(nil), v...))
			}
			if len(v) != 8 {
				return fmt.Errorf("stable store key %s holds %d bytes, not 8", k, len(v))
			}
			return dst.SetUint64(k, binary.BigEndian.Uint64(v))
		})
	})
}

// setAsideBolt renames the bolt file at path to path.migrated, saying why.
func setAsideBolt(path string, log *slog.Logger, why string) error {
	aside := path + ".migrated"
	if err := renameSynced(path, aside); err != nil {
		return err
	}
	log.Warn("renamed the bolt raft log aside: "+why+"; delete it once the node runs well", "path", aside)
	return nil
}

// renameSynced renames from to to and syncs the directory holding them.
func renameSynced(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("failed to rename %s: %w", from, err)
	}
	return syncDir(filepath.Dir(to))
}

// syncDir fsyncs a directory, making renames and new files in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}
