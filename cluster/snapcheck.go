package cluster

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Where hashicorp/raft's FileSnapshotStore keeps its snapshots: one
// directory per snapshot under <dir>/snapshots, holding meta.json and
// state.bin; a snapshot being written has the suffix .tmp.
const (
	snapshotsDir   = "snapshots"
	snapshotMeta   = "meta.json"
	snapshotState  = "state.bin"
	snapshotTmpExt = ".tmp"
)

// snapshotRecoverHint ends every damaged-snapshot error: what to do.
const snapshotRecoverHint = "to recover, wipe this node's data directory and start it again without --bootstrap: " +
	"it rejoins the cluster and the leader sends it the data (see \"Recovering a damaged node\" in docs/operations.md)"

// fileSnapshotMeta is the part of raft's meta.json the check reads.
type fileSnapshotMeta struct {
	ID    string
	Index uint64
	Term  uint64
	Size  int64
	CRC   []byte
}

// prepareSnapshots readies the snapshot store of dir for a start. It removes
// the directories an interrupted snapshot left behind, and verifies that
// every snapshot's metadata reads and that the newest one's state matches
// the CRC-64 raft recorded for it. It refuses a damaged snapshot with an
// error naming the file and saying how to recover: raft itself would skip
// it and fall back to an older snapshot, whose following log entries may
// have been compacted away (a panic) or may never be replayed.
func prepareSnapshots(dir string, log *slog.Logger) error {
	root := filepath.Join(dir, snapshotsDir)
	entries, err := os.ReadDir(root)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("failed to list snapshots: %w", err)
	}
	var metas []fileSnapshotMeta
	var reaped []string // directories without meta.json
	for _, de := range entries {
		if !de.IsDir() {
			continue
		}
		path := filepath.Join(root, de.Name())
		if strings.HasSuffix(de.Name(), snapshotTmpExt) {
			if err := os.RemoveAll(path); err != nil {
				return fmt.Errorf("failed to remove interrupted snapshot %s: %w", path, err)
			}
			log.Info("removed an interrupted snapshot", "path", path)
			continue
		}
		m, err := readSnapshotMeta(path)
		if errors.Is(err, fs.ErrNotExist) {
			reaped = append(reaped, path)
			continue
		}
		if err != nil {
			return err
		}
		metas = append(metas, m)
	}
	if len(metas) == 0 && len(reaped) == 0 {
		return nil
	}
	if len(metas) == 0 {
		_, err := readSnapshotMeta(reaped[0])
		return err
	}
	newest := slices.MaxFunc(metas, compareSnapshots)
	if err := removeReaped(reaped, newest, log); err != nil {
		return err
	}
	return verifySnapshotState(filepath.Join(root, newest.ID), newest)
}

// removeReaped removes the snapshot directories without meta.json that are
// older than newest: raft deletes an old snapshot's files before its
// directory (os.RemoveAll), so a crash while it reaped one leaves such a
// directory, which raft would skip. One that is not older is damage, and
// refused.
func removeReaped(paths []string, newest fileSnapshotMeta, log *slog.Logger) error {
	for _, path := range paths {
		term, index, ok := snapshotPosition(filepath.Base(path))
		if !ok || cmp.Or(cmp.Compare(term, newest.Term), cmp.Compare(index, newest.Index)) >= 0 {
			_, err := readSnapshotMeta(path)
			return err
		}
		if err := os.RemoveAll(path); err != nil {
			return fmt.Errorf("failed to remove the partly deleted snapshot %s: %w", path, err)
		}
		log.Info("removed a snapshot whose deletion was interrupted", "path", path)
	}
	return nil
}

// snapshotPosition parses the term and index from a snapshot's name
// (raft's "term-index-milliseconds").
func snapshotPosition(name string) (term, index uint64, ok bool) {
	parts := strings.Split(name, "-")
	if len(parts) != 3 {
		return 0, 0, false
	}
	term, err1 := strconv.ParseUint(parts[0], 10, 64)
	index, err2 := strconv.ParseUint(parts[1], 10, 64)
	return term, index, err1 == nil && err2 == nil
}

// compareSnapshots orders snapshots as raft does: by term, index, then ID.
func compareSnapshots(a, b fileSnapshotMeta) int {
	return cmp.Or(cmp.Compare(a.Term, b.Term), cmp.Compare(a.Index, b.Index), strings.Compare(a.ID, b.ID))
}

func readSnapshotMeta(path string) (fileSnapshotMeta, error) {
	var m fileSnapshotMeta
	file := filepath.Join(path, snapshotMeta)
	b, err := os.ReadFile(file)
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err == nil && (m.ID != filepath.Base(path) || len(m.CRC) != 8) {
		err = errors.New("its fields do not match the snapshot")
	}
	if err != nil {
		return m, fmt.Errorf("snapshot metadata %s is damaged (%w); %s", file, err, snapshotRecoverHint)
	}
	return m, nil
}

// verifySnapshotState checks the size and CRC-64 (ECMA, as raft computes
// it while writing) of the snapshot's state file.
func verifySnapshotState(path string, m fileSnapshotMeta) error {
	file := filepath.Join(path, snapshotState)
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("snapshot %s is damaged (%v); %s", file, err, snapshotRecoverHint)
	}
	defer f.Close()
	h := crc64.New(crc64.MakeTable(crc64.ECMA))
	n, err := io.Copy(h, f)
	switch {
	case err != nil:
		return fmt.Errorf("snapshot %s is damaged (read failed: %v); %s", file, err, snapshotRecoverHint)
	case n != m.Size:
		return fmt.Errorf("snapshot %s is damaged (%d bytes, its metadata says %d); %s", file, n, m.Size, snapshotRecoverHint)
	case !bytes.Equal(h.Sum(nil), m.CRC):
		return fmt.Errorf("snapshot %s is damaged (checksum mismatch); %s", file, snapshotRecoverHint)
	}
	return nil
}
