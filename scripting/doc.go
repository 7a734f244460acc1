// Package scripting runs Lua scripts (EVAL and its family) against the
// command table, deterministically, so a script can be one log entry that
// every replica applies to the same result.
//
// The engine (engine.go) compiles each script body once (by SHA-1), runs it
// in a Sandbox shaped like Redis 7.0's (Sandbox.go: base, table, string,
// math with Redis's own deterministic random generator, the redis table,
// read-only globals) taken from a pool of Lua states that are all built the
// same way. redis.call (bridge.go) runs a command-table handler with a
// nested protocol.Ctx that shares the script's keyspace, time and random
// source, and turns its RESP reply into Lua values (reply.go); the script's
// result becomes the client's reply (toresp.go).
//
// The replicated part is State (state.go): the script cache, and room for
// function libraries. It changes only inside the state machine (EVAL of a
// new body, SCRIPT LOAD, SCRIPT FLUSH) and is kept in snapshots.
package scripting
