package scripting

import "github.com/geetcache/geetcache/protocol"

// Replies to SCRIPT KILL and FUNCTION KILL, Redis's texts.
const (
	ErrNotBusy = "NOTBUSY No scripts in execution right now."
	// ErrUnkillableWrote answers a kill of a script that already wrote.
	ErrUnkillableWrote = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command."
	// ErrUnkillableReplicated is Redis's answer for a script a replica
	// applies from its master: geetcache gives it for any script running in
	// the state machine (one that may write), which runs on every node
	// from the replicated log and so cannot be stopped on one of them.
	ErrUnkillableReplicated = "UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed."
)

// Kill stops the scripts of kind k (SCRIPT KILL: KindEval, FUNCTION KILL:
// KindFunction) that run outside the state machine on this node, and
// returns "" when it stopped one, else the error reply, as Redis decides:
// NOTBUSY when nothing runs; UNKILLABLE for a script in the state machine
// (it runs on every node; the step budget stops it, at the same
// instruction everywhere); BUSY naming the other command when only a
// script of the other kind runs.
func (m *Monitor) Kill(k Kind) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.runs) == 0 {
		return ErrNotBusy
	}
	killed := 0
	for _, r := range m.runs {
		if !r.info.InFSM && r.info.Kind == k {
			r.budget.Kill()
			killed++
		}
	}
	if killed > 0 {
		return ""
	}
	for _, r := range m.runs {
		if r.info.InFSM {
			if r.wrote.Load() {
				return ErrUnkillableWrote
			}
			return ErrUnkillableReplicated
		}
	}
	return busyText(m.runs[0].info.Kind)
}

// SetKillForward installs what SCRIPT KILL and FUNCTION KILL do when this
// node has nothing to stop: forward returns false to answer NOTBUSY here,
// or answers itself (a follower asks the leader, where scripts sent
// through it are tried as reads) and returns true. Call it before serving.
func (m *Monitor) SetKillForward(forward func(c *protocol.Ctx) bool) { m.forward = forward }

// StopReads kills every script running outside the state machine on this
// node (read-only scripts, and scripts tried as reads), for a node that
// shuts down: they changed nothing. A script in the state machine is left
// to end, at the latest at its step budget.
func (m *Monitor) StopReads() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.runs {
		if !r.info.InFSM {
			r.budget.Kill()
		}
	}
}
