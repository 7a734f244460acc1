package server

import (
	"strconv"

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
	n, reason := parseLongConfig(v, 0)
	if reason != "" {
		return nil, reason
	}
	return func() {
		if st.tracking != nil {
			st.tracking.SetMaxKeys(int(n))
		}
	}, ""
}
