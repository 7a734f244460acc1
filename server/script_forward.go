package server

import "time"

// Redis reads a client's next command only after its script ended, so that
// command never finds the server busy with it. A write script sent through
// a follower runs in the state machine of every node, this follower's
// too, and the leader's reply can reach this node while it still runs the
// same entry: the client's next command got BUSY here (Redis's
// unit/latency-monitor sends PEXPIRE and DBSIZE right after a long EVAL).
// So a follower that relays the reply of a forwarded script call whose
// forward took long first waits until it applied the leader's read index,
// and with it the script. A script that ran long on the leader runs about
// as long here; a short one, which cannot make this node busy, pays
// nothing.

// scriptSettleAfter is how long a forwarded script call must have taken
// before its reply waits for this node to run it too; half the
// busy-reply-threshold when that is lower, since the script must run that
// long here before a command gets BUSY.
const scriptSettleAfter = 100 * time.Millisecond

// longScript reports whether cmds (each a command's arguments), whose
// forward took took, run a script long enough that this node must run it
// too before the reply is relayed (settleForwarded).
func (s *Server) longScript(cmds [][][]byte, took time.Duration) bool {
	threshold := time.Duration(s.scripts.Threshold()) * time.Millisecond
	return threshold != 0 && took >= min(scriptSettleAfter, threshold/2) && s.callsScript(cmds)
}

// callsScript reports whether one of cmds runs a script (scriptCalls).
func (s *Server) callsScript(cmds [][][]byte) bool {
	for _, args := range cmds {
		if cmd := s.table.Lookup(args[0]); cmd != nil && scriptCalls[cmd.Name] {
			return true
		}
	}
	return false
}
