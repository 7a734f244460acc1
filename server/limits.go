package server

import "errors"

// Limits bounds what one client may send. The reader checks every header
// against them before it allocates anything the header declares.
type Limits struct {
	MaxBulk     int64 // proto-max-bulk-len: largest bulk string
	MaxArgs     int64 // largest multibulk count
	MaxInline   int   // longest inline command or header line
	MaxQueryLen int64 // client-query-buffer-limit: largest single command, headers included
}

// DefaultLimits are Redis 7.0's, except MaxArgs (Redis allows INT_MAX,
// bounded only by its 1 GB query buffer; see docs/compatibility.md).
var DefaultLimits = Limits{
	MaxBulk:     512 << 20,
	MaxArgs:     1 << 20,
	MaxInline:   64 << 10,
	MaxQueryLen: 1 << 30,
}

// protocolError is a malformed request. Its text follows "Protocol error: ".
type protocolError struct{ msg string }

func (e *protocolError) Error() string { return "Protocol error: " + e.msg }

// protoErr is a malformed request; msg is one of protocol's ErrProto texts.

func protoErr(msg string) error { return &protocolError{msg} }

// errQueryBufferFull is returned while a client is blocked and has sent
// more than client-query-buffer-limit bytes since it blocked: Redis closes
// such a client without a reply.
var errQueryBufferFull = errors.New("client reached the query buffer limit while blocked")
