package cluster

import (
	"strconv"
	"strings"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// Replicated settings are the CONFIG parameters whose value changes what a
// write does to the keyspace: stream-node-max-entries and
// stream-node-max-bytes decide where XADD starts a new stream node, hence
// what an approximate XTRIM removes. Every replica must apply a write with
// the same value, so a setting changes through the log, as an
// EntryNodeMeta unit [settingKey(name), value], and lives in the node
// table under a key no node ID has (it starts with a NUL byte): snapshots
// keep it, and older binaries, which ignore unknown node IDs, apply it
// harmlessly.
const settingPrefix = "\x00setting:"

func settingKey(name string) string { return settingPrefix + name }

// The replicated settings' names.
const (
	SettingStreamNodeMaxEntries = "stream-node-max-entries"
	SettingStreamNodeMaxBytes   = "stream-node-max-bytes"
	// SettingDisableDenyScripts is DEBUG SET-DISABLE-DENY-SCRIPTS ("1" lets
	// scripts call DEBUG PROTOCOL and SLEEP): a write script must get the
	// same answer on every replica, so the switch is the log's, not a
	// node's.
	SettingDisableDenyScripts = "disable-deny-scripts"
	// SettingACLPubsubDefault is acl-pubsub-default: "allchannels" gives
	// new users and selectors every channel (acl.Users.SetPubsubDefault).
	SettingACLPubsubDefault = "acl-pubsub-default"
	// SettingMinReplicasToWrite and SettingMinReplicasMaxLag are
	// min-replicas-to-write and min-replicas-max-lag: the leader refuses
	// writes while fewer followers answered it within the lag
	// (server/min_replicas.go). They change no write inside the log; they
	// are replicated so that a CONFIG SET sent to any node reaches the
	// node that judges, and a new leader judges alike.
	SettingMinReplicasToWrite = "min-replicas-to-write"
	SettingMinReplicasMaxLag  = "min-replicas-max-lag"
)

// The encoding settings decide what OBJECT ENCODING reports, which must be
// the same on every replica (datatypes.EncodingLimits).
const (
	SettingHashMaxListpackEntries = "hash-max-listpack-entries"
	SettingHashMaxListpackValue   = "hash-max-listpack-value"
	SettingZSetMaxListpackEntries = "zset-max-listpack-entries"
	SettingZSetMaxListpackValue   = "zset-max-listpack-value"
	SettingSetMaxIntsetEntries    = "set-max-intset-entries"
	SettingListMaxListpackSize    = "list-max-listpack-size"
	SettingListCompressDepth      = "list-compress-depth"
	SettingHLLSparseMaxBytes      = "hll-sparse-max-bytes"
)

// SetSetting records a replicated setting through the log. It runs on the
// leader only (raft.ErrNotLeader elsewhere); value is canonical (a decimal
// integer for the stream settings).
func (n *Node) SetSetting(name, value string) error {
	if n.raft.State() != raft.Leader {
		return raft.ErrNotLeader
	}
	argv := [][]byte{[]byte(settingKey(name)), []byte(value)}
	e := &protocol.Entry{Kind: protocol.EntryNodeMeta, Units: []protocol.Unit{{Proto: 2, Cmds: [][][]byte{argv}}}}
	return n.propose(e)
}

// Setting returns a replicated setting's value, if it was ever set. It
// takes no lock (it reads the view updateSettings last published), so
// the server may ask on every command without waiting for Apply.
func (n *Node) Setting(name string) (string, bool) {
	view := n.fsm.settings.Load()
	if view == nil {
		return "", false
	}
	v, ok := (*view)[name]
	return v, ok
}

// updateSettings brings what depends on the replicated settings up to
// date (after a setting changed or a snapshot was restored).
func (f *FSM) updateSettings() {
	f.publishSettings()
	f.updateStreamLimits()
	f.updateEncodingLimits()
	f.updateNotifyFlags()
	f.updateEviction()
	f.scripts.SetDenyScripts(f.meta[settingKey(SettingDisableDenyScripts)] != "1")
	f.usersOrDefault().SetPubsubDefault(f.meta[settingKey(SettingACLPubsubDefault)] == "allchannels")
}

// updateStreamLimits recomputes the stream node limits from the node
// table (after a setting changed or a snapshot was restored).
func (f *FSM) updateStreamLimits() {
	lim := datatypes.DefaultStreamNodeLimits
	if v, ok := f.meta[settingKey(SettingStreamNodeMaxEntries)]; ok {
		lim.MaxEntries, _ = strconv.ParseInt(v, 10, 64)
	}
	if v, ok := f.meta[settingKey(SettingStreamNodeMaxBytes)]; ok {
		lim.MaxBytes, _ = strconv.ParseInt(v, 10, 64)
	}
	f.streamLimits = lim
}

// updateEncodingLimits gives the keyspace the encoding settings from the
// node table (Redis's defaults for those never set).
func (f *FSM) updateEncodingLimits() {
	l := datatypes.DefaultEncodingLimits
	for _, s := range []struct {
		name string
		dst  *int64
	}{
		{SettingHashMaxListpackEntries, &l.HashEntries}, {SettingHashMaxListpackValue, &l.HashValue},
		{SettingZSetMaxListpackEntries, &l.ZSetEntries}, {SettingZSetMaxListpackValue, &l.ZSetValue},
		{SettingSetMaxIntsetEntries, &l.SetIntsetEntries}, {SettingListMaxListpackSize, &l.ListSize},
		{SettingListCompressDepth, &l.ListCompressDepth}, {SettingHLLSparseMaxBytes, &l.HLLSparseMaxBytes},
	} {
		if v, ok := f.meta[settingKey(s.name)]; ok {
			*s.dst, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	f.dbs.SetEncodingLimits(l)
}

// publishSettings copies the replicated settings out of the node table
// into the view Setting reads without the FSM's lock.
func (f *FSM) publishSettings() {
	view := map[string]string{}
	for k, v := range f.meta {
		if name, ok := strings.CutPrefix(k, settingPrefix); ok {
			view[name] = v
		}
	}
	f.settings.Store(&view)
}
