package server

// Redis runs a whole EXEC, its queued server commands and its entries in
// the slow log included, before it serves any blocked client the
// transaction's writes woke. Here EXEC runs on its connection's goroutine
// and the clients it wakes on theirs (a follower's on the leader's links),
// so they meet at blocker.execs: every EXEC read-holds it while it runs and
// is counted (countedExec), and a blocked client answered while waiting
// takes it once before its reply goes out. A client woken by a transaction
// is thus served after that EXEC ends, as in Redis: after a SLOWLOG RESET
// the transaction ran (unit/slowlog, through a follower), after the clock
// moved through the transaction's DEBUG SLEEP (unit/type/list, "MULTI +
// LPUSH + EXPIRE + DEBUG SLEEP on blocked client").
//
// A waiter takes the lock only for an instant and holds nothing an EXEC
// waits for: it has left the arrival order (block_arriving.go) before it
// waits, and its forwarding turn (arrival_forward.go) orders only blocking
// commands, which EXEC never waits for.

// inExec read-holds the gate for one EXEC; the returned function ends it.
func (b *blocker) inExec() func() {
	b.execs.RLock()
	return b.execs.RUnlock
}

// afterExecs returns once the EXECs running now have ended.
func (b *blocker) afterExecs() {
	b.execs.Lock()
	b.execs.Unlock()
}
