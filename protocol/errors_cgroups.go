package protocol

import "math"

// Consumer-group errors (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM,
// XAUTOCLAIM, XINFO), as Redis 7.0 words them.
const (
	ErrStreamInvalidID     = "ERR Invalid stream ID specified as stream command argument"
	ErrXGroupKeyMissing    = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."
	ErrBusyGroup           = "BUSYGROUP Consumer Group name already exists"
	ErrEntriesReadRange    = "ERR value for ENTRIESREAD must be positive or -1"
	ErrXReadUnbalanced     = "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."
	ErrXReadGroupMissing   = "ERR Missing GROUP option for XREADGROUP"
	ErrXReadGroupDollar    = "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."
	ErrBlockTimeoutNotInt  = "ERR timeout is not an integer or out of range"
	ErrXClaimMinIdle       = "ERR Invalid min-idle-time argument for XCLAIM"
	ErrXClaimIdle          = "ERR Invalid IDLE option argument for XCLAIM"
	ErrXClaimTime          = "ERR Invalid TIME option argument for XCLAIM"
	ErrXClaimRetryCount    = "ERR Invalid RETRYCOUNT option argument for XCLAIM"
	ErrXAutoClaimMinIdle   = "ERR Invalid min-idle-time argument for XAUTOCLAIM"
	ErrXAutoClaimCount     = "ERR COUNT must be > 0"
	ErrIntervalStart       = "ERR invalid start ID for the interval"
	ErrIntervalEnd         = "ERR invalid end ID for the interval"
	ErrUnblockedStreamGone = "UNBLOCKED the stream key no longer exists"
	// ErrUnblockedByClient is a blocked client's reply to CLIENT UNBLOCK
	// id ERROR.
	ErrUnblockedByClient  = "UNBLOCKED client unblocked via CLIENT UNBLOCK"
	ErrUnblockedGroupGone = "NOGROUP the consumer group this client was blocked on no longer exists"
)

// xautoclaimMaxCount is the largest XAUTOCLAIM COUNT Redis accepts:
// LONG_MAX / max(sizeof(streamID), attempts factor 10) = LONG_MAX / 16.
const xautoclaimMaxCount = math.MaxInt64 / 16

// cname formats a name as Redis's %s does: up to the first NUL byte.
func cname(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// ErrNoGroup is XGROUP's and XINFO CONSUMERS's reply when the group is missing.
func ErrNoGroup(key, group []byte) string {
	return sanitize("NOGROUP No such consumer group '" + cname(group) + "' for key name '" + cname(key) + "'")
}

// ErrNoKeyOrGroup is XPENDING's, XCLAIM's and XAUTOCLAIM's reply when the
// key or the group is missing.
func ErrNoKeyOrGroup(key, group []byte) string {
	return sanitize("NOGROUP No such key '" + cname(key) + "' or consumer group '" + cname(group) + "'")
}

// ErrNoKeyOrGroupRead is XREADGROUP's reply when a key or its group is missing.
func ErrNoKeyOrGroupRead(key, group []byte) string {
	return ErrNoKeyOrGroup(key, group) + " in XREADGROUP with GROUP option"
}

// ErrXClaimOption refuses an unknown XCLAIM option.
func ErrXClaimOption(opt []byte) string {
	return sanitize("ERR Unrecognized XCLAIM option '" + cname(opt) + "'")
}

// ErrBlockInScript is XREAD's and XREADGROUP's reply to BLOCK from a script;
// name is the command as the script spelled it.
func ErrBlockInScript(name []byte) string {
	return sanitize("ERR " + cname(name) + " command is not allowed with BLOCK option from scripts")
}
