package protocol

import (
	"bytes"
	"strconv"
	"strings"
)

// This file is the one catalog of geetcache's error replies: every error
// text a client can receive (the handlers', the server front end's, the
// protocol errors and the cluster's) is a constant or a function here.
// Redis 7.0's replies are word for word; geetcache's own say so in their
// comment. The first word is the code.

// Redis 7.0's general error replies.
const (
	// ErrMisconfLogPrefix starts the reply to a write refused because the
	// Raft log cannot be written; the cause (strerror style, e.g. "No space
	// left on device") ends it. Redis 7.0 says "MISCONF Errors writing to
	// the AOF file: " there; geetcache's log is the Raft log.
	ErrMisconfLogPrefix = "MISCONF Errors writing to the Raft log: "
	ErrSyntax           = "ERR syntax error"
	ErrWrongType        = "WRONGTYPE Operation against a key holding the wrong kind of value"
	ErrNotInteger       = "ERR value is not an integer or out of range"
	ErrNotFloat         = "ERR value is not a valid float"
	ErrOverflow         = "ERR increment or decrement would overflow"
	ErrNaNOrInfinity    = "ERR increment would produce NaN or Infinity"
	ErrNoSuchKey        = "ERR no such key"
	ErrStringTooLong    = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	ErrOffsetRange      = "ERR offset is out of range"
	ErrDBIndex          = "ERR DB index is out of range"
	ErrInvalidDB        = "ERR invalid DB index"
	ErrNoAuth           = "NOAUTH Authentication required."
	// ErrOOM refuses a denyoom command while memory is above maxmemory.
	ErrOOM = "OOM command not allowed when used memory > 'maxmemory'."
	// ErrNoReplicas refuses a write while the leader has fewer good
	// replicas than min-replicas-to-write asks for.
	ErrNoReplicas = "NOREPLICAS Not enough good replicas to write."
)

// String errors (DECRBY, LCS).
const (
	ErrDecrementOverflow = "ERR decrement would overflow"
	ErrLCSNotStrings     = "ERR The specified keys must contain string values"
	ErrLCSIdxAndLen      = "ERR If you want both the length and indexes, please just use IDX."
	ErrLCSMemory         = "ERR Insufficient memory, failed allocating transient memory for LCS"
)

// Bitmap errors (SETBIT, BITPOS, BITOP, BITFIELD).
const (
	ErrBitOffset        = "ERR bit offset is not an integer or out of range"
	ErrBitValue         = "ERR bit is not an integer or out of range"
	ErrBitposBit        = "ERR The bit argument must be 1 or 0."
	ErrBitopNot         = "ERR BITOP NOT must be called with a single source key."
	ErrBitfieldType     = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
	ErrBitfieldOverflow = "ERR Invalid OVERFLOW type specified"
	ErrBitfieldRO       = "ERR BITFIELD_RO only supports the GET subcommand"
)

// HyperLogLog errors (PFADD, PFCOUNT, PFMERGE).
const (
	ErrNotHLL     = "WRONGTYPE Key is not a valid HyperLogLog string value."
	ErrHLLCorrupt = "INVALIDOBJ Corrupted HLL object detected"
)

// ErrWrongArity is the reply to a command called with the wrong number of
// arguments; fullname is the command's lower-case name ("config|get" for a
// subcommand).
func ErrWrongArity(fullname string) string {
	return "ERR wrong number of arguments for '" + fullname + "' command"
}

// ErrInvalidExpire is the reply to a bad TTL; cmd is the lower-case name.
func ErrInvalidExpire(cmd string) string {
	return "ERR invalid expire time in '" + cmd + "' command"
}

// ErrUnknownCommand is the reply to a command not in the table: the name
// (up to 128 bytes) and the arguments, quoted, until 128 bytes of them have
// been shown, as Redis words it.
func ErrUnknownCommand(args [][]byte) string {
	var shown strings.Builder
	for _, a := range args[1:] {
		if shown.Len() >= 128 {
			break
		}
		shown.WriteString("'" + clip(a, 128-shown.Len()) + "' ")
	}
	return sanitize("ERR unknown command '" + clip(args[0], 128) +
		"', with args beginning with: " + shown.String())
}

// ErrUnknownSubcommand is the reply to CONFIG FOO and the like.
func ErrUnknownSubcommand(sub []byte, cmd string) string {
	return sanitize("ERR unknown subcommand '" + clip(sub, 128) + "'. Try " + strings.ToUpper(cmd) + " HELP.")
}

func clip(b []byte, n int) string {
	// Redis formats these with %.*s, which also stops at a NUL byte.
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if n < 0 {
		n = 0
	}
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}

// sanitize replaces newlines so an error stays one RESP line, as Redis does.
func sanitize(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
	}
	return s
}

// Connection, introspection and admin errors (AUTH, HELLO, CLIENT, COMMAND,
// CONFIG, DEBUG, SAVE).
const (
	ErrWrongPass = "WRONGPASS invalid username-password pair or user is disabled."
	// ErrHelloNoAuth refuses HELLO without AUTH on an unauthenticated connection.
	ErrHelloNoAuth = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"
	ErrAuthNoPass  = "ERR AUTH <password> called without any password configured for the default user. " +
		"Are you sure your configuration is correct?"
	ErrProtoVersion     = "ERR Protocol version is not an integer or out of range"
	ErrNoProto          = "NOPROTO unsupported protocol version"
	ErrClientName       = "ERR Client names cannot contain spaces, newlines or special characters."
	ErrInvalidClientID  = "ERR Invalid client ID"
	ErrClientIDRange    = "ERR client-id should be greater than 0"
	ErrNoSuchClient     = "ERR No such client"
	ErrMaxClients       = "ERR max number of clients reached"
	ErrGetKeysCommand   = "ERR Invalid command specified"
	ErrGetKeysNoKeys    = "ERR The command has no key arguments"
	ErrGetKeysArity     = "ERR Invalid number of arguments specified for command"
	ErrGetKeysInvalid   = "ERR Invalid arguments specified for command"
	ErrBgsaveInProgress = "ERR Background save already in progress"
	// ErrRaftNoSuchMember and ErrRaftAddr are geetcache's RAFT command's.
	ErrRaftNoSuchMember = "ERR no such member in the Raft configuration"
	ErrRaftAddr         = "ERR invalid Raft address, expected host:port"
	// ErrRaftDenied answers a RAFT change from a non-loopback client while
	// no password is set, in the manner of Redis's protected mode.
	ErrRaftDenied = "DENIED RAFT membership, leadership and snapshot commands are accepted only from the loopback interface " +
		"while no password is set for the default user (a node may still add and advertise itself); run them on the node itself, e.g. redis-cli -h 127.0.0.1"
	// ErrRaftNotMember answers a command only nodes send each other (RAFT
	// AUTH, WATCHED, TOUCHED, ORIGIN) on a connection that is not a
	// node's, with tls-cluster yes.
	ErrRaftNotMember = "NOPERM this command is only for the cluster's nodes: with tls-cluster yes it needs a TLS connection " +
		"that presented a certificate of the cluster's CA"
	// ErrProtectedMode is Redis 7.0's refusal of a non-loopback connection
	// in protected mode while the default user has no password, byte for
	// byte (its "a an" included), sent before the connection is closed.
	ErrProtectedMode = "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. " +
		"In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: " +
		"1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. " +
		"2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. " +
		"3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
		"4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside."
	// ErrLoading is Redis's reply to a command that needs the dataset
	// while it is still being loaded.
	ErrLoading = "LOADING Redis is loading the dataset in memory"
	// ErrBare is Redis's reply when a save fails: the code alone.
	ErrBare = "ERR"
)

// ErrSubcommandSyntax is the reply to DEBUG FOO and the like, from commands
// that check their subcommands themselves.
func ErrSubcommandSyntax(sub []byte, cmd string) string {
	return sanitize("ERR unknown subcommand or wrong number of arguments for '" + clip(sub, 128) +
		"'. Try " + strings.ToUpper(cmd) + " HELP.")
}

// ErrHelloOption is the reply to an unknown or incomplete HELLO option.
func ErrHelloOption(opt []byte) string {
	return sanitize("ERR Syntax error in HELLO option '" + string(opt) + "'")
}

// ErrUnknownClientType is the reply to CLIENT LIST/KILL TYPE with a bad type.
func ErrUnknownClientType(t []byte) string {
	return sanitize("ERR Unknown client type '" + string(t) + "'")
}

// ErrNoSuchUser is the reply to CLIENT KILL USER with an unknown user.
func ErrNoSuchUser(u []byte) string {
	return sanitize("ERR No such user '" + string(u) + "'")
}

// ErrConfigSetUnknown is the reply to CONFIG SET of an unknown parameter.
func ErrConfigSetUnknown(name []byte) string {
	return sanitize("ERR Unknown option or number of arguments for CONFIG SET - '" + string(name) + "'")
}

// ErrConfigSetFailed is the reply to CONFIG SET of a value that cannot be set.
func ErrConfigSetFailed(name, reason string) string {
	return sanitize("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason)
}

// Keyspace errors (EXPIRE family, SCAN, COPY).
const (
	ErrExpireNXOptions = "ERR NX and XX, GT or LT options at the same time are not compatible"
	ErrExpireGTAndLT   = "ERR GT and LT options at the same time are not compatible"
	ErrInvalidCursor   = "ERR invalid cursor"
	ErrSameObject      = "ERR source and destination objects are the same"
	// ErrIntRange is getIntFromObjectOrReply's reply to an integer outside
	// a C int (COPY ... DB n).
	ErrIntRange = "ERR value is out of range, value must between -2147483648 and 2147483647"
)

// ErrUnsupportedOption is the EXPIRE family's reply to an unknown option.
// Redis formats the option as a C string (it ends at a NUL byte), trims
// trailing newlines and turns the others into spaces.
func ErrUnsupportedOption(opt []byte) string {
	if i := bytes.IndexByte(opt, 0); i >= 0 {
		opt = opt[:i]
	}
	return sanitize("ERR " + strings.TrimRight("Unsupported option "+string(opt), "\r\n"))
}

// Hash and set errors (HINCRBY, HINCRBYFLOAT, HRANDFIELD, SRANDMEMBER, SPOP,
// SINTERCARD).
const (
	ErrHashNotInteger = "ERR hash value is not an integer"
	ErrHashNotFloat   = "ERR hash value is not a float"
	ErrIncrNaNOrInf   = "ERR value is NaN or Infinity"
	ErrMustBePositive = "ERR value is out of range, must be positive"
	ErrValueRange     = "ERR value is out of range"
	// ErrLongRange is getRangeLongFromObjectOrReply's reply to a count
	// outside -LONG_MAX..LONG_MAX (HRANDFIELD, SRANDMEMBER).
	ErrLongRange      = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	ErrNumkeys        = "ERR numkeys should be greater than 0"
	ErrNumkeysTooMany = "ERR Number of keys can't be greater than number of args"
	ErrLimitNegative  = "ERR LIMIT can't be negative"
	// ErrReplyTooLarge is geetcache's own reply to HRANDFIELD or SRANDMEMBER
	// with a negative count whose reply would exceed maxRandomReply bytes;
	// Redis would try to build it.
	ErrReplyTooLarge = "ERR reply would exceed 512 MB, use a smaller count"
)

// List errors (LSET, LPOS, LMPOP).
const (
	ErrIndexRange = "ERR index out of range"
	ErrLposRank   = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... " +
		"or use negative to start from the end of the list"
	ErrLposCount  = "ERR COUNT can't be negative"
	ErrLposMaxlen = "ERR MAXLEN can't be negative"
	// ErrCountNotPositive is the reply to a COUNT below 1 where a count must
	// be positive (LMPOP).
	ErrCountNotPositive = "ERR count should be greater than 0"
)

// Sorted set errors (ZADD, ZINCRBY, ranges, ZUNION family).
const (
	ErrZAddXXAndNX    = "ERR XX and NX options at the same time are not compatible"
	ErrZAddGTLTAndNX  = "ERR GT, LT, and/or NX options at the same time are not compatible"
	ErrZAddIncrPairs  = "ERR INCR option supports a single increment-element pair"
	ErrScoreNaN       = "ERR resulting score is not a number (NaN)"
	ErrMinMaxNotFloat = "ERR min or max is not a float"
	ErrMinMaxNotLex   = "ERR min or max not valid string range item"
	ErrRangeLimit     = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
	ErrRangeLexScores = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
	ErrWeightNotFloat = "ERR weight value is not a float"
)

// ErrNoInputKeys is the ZUNION family's reply to a numkeys below 1; cmd is
// the lower-case command name.
func ErrNoInputKeys(cmd string) string {
	return "ERR at least 1 input key is needed for '" + cmd + "' command"
}

// Blocking-command timeout errors, as Redis 7.0 words them.
const (
	ErrTimeoutNotFloat = "ERR timeout is not a float or out of range"
	ErrTimeoutNegative = "ERR timeout is negative"
)

// Transaction errors (MULTI, EXEC, DISCARD).
const (
	ErrMultiNested         = "ERR MULTI calls can not be nested"
	ErrExecWithoutMulti    = "ERR EXEC without MULTI"
	ErrDiscardWithoutMulti = "ERR DISCARD without MULTI"
	ErrExecAbort           = "EXECABORT Transaction discarded because of previous errors."
	ErrNotInMulti          = "ERR Command not allowed inside a transaction"
	ErrWatchInMulti        = "ERR WATCH inside MULTI is not allowed"
)

// ErrWatchTooBig refuses a WATCH that would take a connection's watched
// keys past limit bytes (geetcache's own, like ErrMultiTooBig).
func ErrWatchTooBig(limit int64) string {
	return "ERR watched keys exceed client-query-buffer-limit (" + strconv.FormatInt(limit, 10) + " bytes)"
}

// ErrMultiTooBig refuses a command that would take a transaction's queue
// past limit bytes (geetcache's own: Redis bounds it only by maxmemory).
func ErrMultiTooBig(limit int64) string {
	return "ERR MULTI queue exceeds client-query-buffer-limit (" + strconv.FormatInt(limit, 10) + " bytes); transaction discarded"
}

// Protocol errors: the details that follow "Protocol error: " in the reply
// to a malformed request, after which the connection is closed, as Redis
// 7.0's networking.c words them.
const (
	ErrProtoMultibulkLen = "invalid multibulk length"
	// ErrProtoUnauthMultibulk and ErrProtoUnauthBulk refuse, before the
	// connection authenticated, a multibulk of more than 10 arguments and a
	// bulk of more than 16384 bytes.
	ErrProtoUnauthMultibulk = "unauthenticated multibulk length"
	ErrProtoUnauthBulk      = "unauthenticated bulk length"
	ErrProtoBulkLen         = "invalid bulk length"
	ErrProtoBigMultibulk    = "too big mbulk count string"
	ErrProtoBigBulk         = "too big bulk count string"
	ErrProtoBigInline       = "too big inline request"
	ErrProtoUnbalanced      = "unbalanced quotes in request"
	errProtocolReplyPrefix  = "ERR Protocol error: "
)

// ErrProtoExpectedBulk is the detail for a multibulk request whose argument
// does not start with '$'; got is the byte found, as Redis's %c shows it.
func ErrProtoExpectedBulk(got string) string {
	return "expected '$', got '" + got + "'"
}

// ErrProtoQueryLimit is geetcache's detail for a request longer than
// client-query-buffer-limit bytes (Redis closes such a client without a
// reply; see docs/compatibility.md).
func ErrProtoQueryLimit(limit int64) string {
	return "command exceeds the query buffer limit of " + strconv.FormatInt(limit, 10) + " bytes"
}

// ErrProtocol is the reply to a malformed request with the given detail
// (one of the ErrProto texts above).
func ErrProtocol(detail string) string { return errProtocolReplyPrefix + detail }

// Cluster errors: geetcache's own replies when Raft cannot run a command.
// The code says what the client may assume: CLUSTERDOWN means the command
// was not applied and may be retried; UNCERTAIN means it may or may not
// have been applied (see docs/consistency.md). cluster.Node.ErrorReply is
// the one function that turns a Raft error into one of these.
const (
	// CodeClusterDown is the code of every reply that means "not applied,
	// retry": Forward and read-index retries test for it.
	CodeClusterDown  = "CLUSTERDOWN"
	ErrReplyNoLeader = "CLUSTERDOWN no Raft leader is available; the command was not applied"
	ErrReplyShutdown = "UNCERTAIN the node shut down while the write was in flight; it may or may not have been applied"
	ErrReplyLost     = "UNCERTAIN leadership was lost while the write was being committed; it may or may not have been applied"
	ErrReplyTimeout  = "CLUSTERDOWN timed out waiting for the Raft log; the command was not applied"
	// ErrReplyNotLeaderPrefix starts the reply to a command that needs the
	// leader, sent to a follower that knows the leader's client address,
	// which ends the reply.
	ErrReplyNotLeaderPrefix = "CLUSTERDOWN this node is not the Raft leader; the command was not applied; the leader is at "
	// ErrReplyApplyWait answers a read on a follower that did not apply
	// the log up to the leader's read index in time.
	ErrReplyApplyWait = "CLUSTERDOWN timed out waiting for this node to apply the Raft log up to the leader's read index; the command was not run"
	// ErrReplyRemovedPrefix starts every CLUSTERDOWN reply of a node the
	// cluster removed; the command to add it back ends the reply.
	ErrReplyRemovedPrefix = "CLUSTERDOWN this node was removed from the Raft cluster; the command was not applied; to add it back run on the leader: "
	// ErrReplyForwardLost answers a command sent to the leader whose reply
	// never came back: the leader may have applied it.
	ErrReplyForwardLost = "UNCERTAIN the connection to the Raft leader failed after the command was sent; it may or may not have been applied"
	// ErrReplyBadReadIndex answers a read when the leader's answer to RAFT
	// READINDEX is not the pair of integers it must be.
	ErrReplyBadReadIndex = "ERR unexpected reply from the Raft leader to RAFT READINDEX"
	// ErrReplyInternal answers a command whose handler panicked inside the
	// state machine; every replica answers the same at that entry.
	ErrReplyInternal = "ERR internal error while running the command; it was logged on every node (state may hold a partial change)"
	// ErrReplyUncertainPrefix starts the reply to a Raft or log store error
	// no other reply names; the error's text ends it.
	ErrReplyUncertainPrefix = "UNCERTAIN "
)

// IsClusterDown reports whether msg, an error reply's text without the
// leading '-', means the command was not applied and may be sent again.
func IsClusterDown(msg string) bool {
	return strings.HasPrefix(msg, CodeClusterDown+" ")
}

// DUMP and RESTORE errors.
const (
	ErrBusyKey       = "BUSYKEY Target key name already exists."
	ErrRestoreTTL    = "ERR Invalid TTL value, must be >= 0"
	ErrRestoreIdle   = "ERR Invalid IDLETIME value, must be >= 0"
	ErrRestoreFreq   = "ERR Invalid FREQ value, must be >= 0 and <= 255"
	ErrDumpPayload   = "ERR DUMP payload version or checksum are wrong"
	ErrDumpBadFormat = "ERR Bad data format"
)
