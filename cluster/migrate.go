package cluster

import (
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
// which is renamed to walDir only when complete: a crash before that
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
