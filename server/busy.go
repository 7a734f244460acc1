package server

import (
	"strconv"
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// While a script has run on this node for longer than busy-reply-threshold
// (scripting.Monitor), other commands get Redis's BUSY error, except those
// flagged allow_busy (AUTH, HELLO, MULTI, DISCARD, WATCH, UNWATCH, RESET,
// QUIT, SHUTDOWN, SCRIPT KILL, FUNCTION KILL, FUNCTION STATS). A script
// inside the state machine runs on every node, so every node's clients see
// BUSY; a read-only script only on its own node.

// busyReply returns the BUSY error for a call of cmd with args now, or "".
// A subcommand is allow_busy by its row's flags (FUNCTION KILL, FUNCTION
// STATS) or its container's CallFlags (SCRIPT KILL).
func (s *Server) busyReply(cmd *protocol.Command, args [][]byte) string {
	msg := s.scripts.Busy()
	if msg == "" || cmd.FlagsFor(args)&protocol.AllowBusy != 0 {
		return ""
	}
	if len(args) > 1 {
		if sub := protocol.SubcommandOf(cmd, args[1]); sub != nil && sub.Flags&protocol.AllowBusy != 0 {
			return ""
		}
	}
	return msg
}

// notBusy answers BUSY to cl and returns false while a script is busy. A
// call behind writes of its own pipeline still in flight waits for them
// first (its reply comes after theirs anyway): Redis runs a client's
// pipelined commands after its script, never answering them BUSY.
func (s *Server) notBusy(c *client, b *batch, cl *call) bool {
	msg := s.busyReply(cl.cmd, cl.args)
	if msg != "" && len(b.pending) > 0 {
		s.settle(c, b)
		msg = s.busyReply(cl.cmd, cl.args)
	}
	if msg == "" {
		return true
	}
	s.rejectCall(c, b, cl, msg)
	return false
}

// busy-reply-threshold, and its old name lua-time-limit: milliseconds.
func getBusyThreshold(st *settings) string { return strconv.FormatInt(st.scripts.Threshold(), 10) }

func setBusyThreshold(st *settings, v []byte) (func(), string) {
	n, reason := parseLongConfig(v, 0)
	if reason != "" {
		return nil, reason
	}
	return func() { st.scripts.SetThreshold(n) }, ""
}

// execAbortBecause is Redis's reply to an EXEC refused for the reason msg
// (execCommandAbort).
func execAbortBecause(msg string) string {
	return "EXECABORT Transaction discarded because of: " + strings.TrimPrefix(msg, "-")
}
