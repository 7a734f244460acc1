package cluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hashicorp/raft"
)

// PeersFile is the name, in the data directory, of the file an operator
// writes to recover a cluster that lost its majority (docs/operations.md):
// hashicorp/raft's peers.json format, a JSON array of
// {"id": "n1", "address": "10.0.0.1:17001", "non_voter": false}.
const PeersFile = "peers.json"

// recoverCluster, when the data directory holds a peers file, replaces the
// node's Raft configuration with the file's before Raft starts (raft's
// RecoverCluster: it replays the whole local log, committed or not, into a
// new snapshot whose configuration is the file's), then renames the file so
// that the next start does not recover again.
func (n *Node) recoverCluster(rc *raft.Config, logs raft.LogStore, snaps raft.SnapshotStore, trans raft.Transport) error {
	path := filepath.Join(n.cfg.Dir, PeersFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	conf, err := raft.ReadConfigJSON(path)
	if err != nil {
		return fmt.Errorf("failed to read %s: %w", path, err)
	}
	// RecoverCluster leaves the FSM it replays into unusable: give it one
	// of its own.
	if err := raft.RecoverCluster(rc, NewFSM(n.fsm.table, nil), logs, n.store, snaps, trans, conf); err != nil {
		return fmt.Errorf("failed to recover the cluster from %s: %w", path, err)
	}
	if err := os.Rename(path, path+".recovered"); err != nil {
		return fmt.Errorf("recovered the cluster from %s but failed to rename it: %w", path, err)
	}
	n.cfg.Logger.Warn("recovered the Raft configuration from "+PeersFile+" (renamed "+PeersFile+".recovered); "+
		"every entry of the local log was kept, committed or not", "servers", fmt.Sprintf("%+v", conf.Servers))
	return nil
}
