package server

import (
	"strconv"

	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/pubsub"
)

// tracking-table-max-keys: how many keys the node's tracking table holds
// at most (0: no limit but pubsub.MaxBytes); lowering it drops keys at
// once, each invalidated for its readers.
func getTrackingMaxKeys(st *settings) string {
	if st.tracking == nil {
		return strconv.Itoa(pubsub.DefaultMaxKeys)
	}
	return strconv.Itoa(st.tracking.MaxKeys())
}

func setTrackingMaxKeys(st *settings, v []byte) (func(), string) {
	n, ok := protocol.ParseInt(v)
	if !ok {
		return nil, "argument couldn't be parsed into an integer"
	}
	if n < 0 {
		return nil, "argument must be between 0 and 9223372036854775807 inclusive"
	}
	return func() {
		if st.tracking != nil {
			st.tracking.SetMaxKeys(int(n))
		}
	}, ""
}
