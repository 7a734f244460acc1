package server

import (
	"errors"
	"strconv"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// Replicated parameters (cluster/settings.go) change what writes do, so
// CONFIG SET changes them through the log, on the leader (a follower sends
// them there); CONFIG GET reads the value this node has applied.

// replicatedParams are the parameters CONFIG SET sends through the log,
// each with its parser (the canonical value, or Redis's reason to refuse).
var replicatedParams = map[string]func(v []byte) (string, string){
	cluster.SettingStreamNodeMaxEntries: parseNonNegative,
	cluster.SettingStreamNodeMaxBytes:   parseMemoryValue,
	cluster.SettingACLPubsubDefault:     parseACLPubsubDefault,
}

// parseACLPubsubDefault parses acl-pubsub-default as Redis's enum.
func parseACLPubsubDefault(v []byte) (string, string) {
	for _, e := range []string{"allchannels", "resetchannels"} {
		if protocol.EqualFold(v, e) {
			return e, ""
		}
	}
	return "", "argument(s) must be one of the following: allchannels, resetchannels"
}

// getACLPubsubDefault is CONFIG GET acl-pubsub-default: what this node
// applied, or Redis 7.0's default.
func getACLPubsubDefault(st *settings) string {
	if st.replicated != nil {
		if v, ok := st.replicated(cluster.SettingACLPubsubDefault); ok {
			return v
		}
	}
	return "resetchannels"
}

func parseNonNegative(v []byte) (string, string) {
	n, reason := parseLongConfig(v, 0)
	if reason != "" {
		return "", reason
	}
	return strconv.FormatInt(n, 10), ""
}

func parseMemoryValue(v []byte) (string, string) {
	n, reason := parseMemoryConfig(string(v), 0, 1<<63-1)
	if reason != "" {
		return "", reason
	}
	return strconv.FormatUint(n, 10), ""
}

// replicatedGetter returns CONFIG GET's value for a replicated parameter:
// what this node applied, or Redis's default.
func replicatedGetter(name string, def int64) func(st *settings) string {
	return func(st *settings) string {
		if st.replicated != nil {
			if v, ok := st.replicated(name); ok {
				return v
			}
		}
		return strconv.FormatInt(def, 10)
	}
}

var (
	getStreamNodeMaxEntries = replicatedGetter(cluster.SettingStreamNodeMaxEntries, datatypes.DefaultStreamNodeLimits.MaxEntries)
	getStreamNodeMaxBytes   = replicatedGetter(cluster.SettingStreamNodeMaxBytes, datatypes.DefaultStreamNodeLimits.MaxBytes)
)

// setReplicated sets replicated parameters (name, canonical value pairs)
// through the log and returns "" or the error reply. A follower sends a
// CONFIG SET of just these to the leader, then applies the leader's read
// index, so that the client's next command on it (CONFIG GET, a script
// judged by maxmemory) sees the new values.
func (s *Server) setReplicated(c *client, pairs [][2]string) string {
	if len(pairs) == 0 {
		return ""
	}
	for _, p := range pairs {
		err := s.admin.SetSetting(p[0], p[1])
		if errors.Is(err, raft.ErrNotLeader) && c != nil {
			return s.forwardSettings(c, pairs)
		}
		if err != nil {
			return s.router.ErrorReply(err)
		}
	}
	return ""
}

func (s *Server) forwardSettings(c *client, pairs [][2]string) string {
	args := [][]byte{[]byte("CONFIG"), []byte("SET")}
	for _, p := range pairs {
		args = append(args, []byte(p[0]), []byte(p[1]))
	}
	reply := s.forwardReply(c, args, false)
	if len(reply) > 0 && reply[0] == '-' {
		return string(reply[1 : len(reply)-2])
	}
	s.catchUpClient(c) // the client's next command here sees the setting (catchup.go)
	return ""
}
