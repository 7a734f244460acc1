package protocol

// Stream errors, as Redis 7.0 words them.
const (
	ErrStreamID           = "ERR Invalid stream ID specified as stream command argument"
	ErrStreamIDZero       = "ERR The ID specified in XADD must be greater than 0-0"
	ErrStreamIDSmall      = "ERR The ID specified in XADD is equal or smaller than the target stream top item"
	ErrStreamExhausted    = "ERR The stream has exhausted the last possible ID, unable to add more items"
	ErrStreamTooLarge     = "ERR Elements are too large to be stored"
	ErrStreamStartID      = "ERR invalid start ID for the interval"
	ErrStreamEndID        = "ERR invalid end ID for the interval"
	ErrStreamMaxLenNeg    = "ERR The MAXLEN argument must be >= 0."
	ErrStreamLimitNeg     = "ERR The LIMIT argument must be >= 0."
	ErrStreamBothTrims    = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
	ErrStreamLimitNoTrim  = "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
	ErrStreamXtrimNoTrim  = "ERR syntax error, XTRIM must be called with a trimming strategy"
	ErrStreamLimitNoApprx = "ERR syntax error, LIMIT cannot be used without the special ~ option"
	ErrXReadGroupOption   = "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."
	ErrXReadNoAckOption   = "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."
	ErrXReadGreaterID     = "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."
	ErrXReadTimeoutInt    = "ERR timeout is not an integer or out of range"
	ErrXSetIDSmall        = "ERR The ID specified in XSETID is smaller than the target stream top item"
	ErrXSetIDMaxDeleted   = "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"
	ErrXSetIDEntriesAdded = "ERR The entries_added specified in XSETID is smaller than the target stream length"
	ErrXSetIDNegative     = "ERR entries_added must be positive"
)
