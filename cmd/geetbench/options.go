package main

import "errors"

// options are the command line's settings.
type options struct {
	host     string
	port     int
	clients  int
	requests int
	pipeline int
	wait     int
	keys     int
	size     int
}

// Bounds keep a mistyped flag from asking for unbounded memory.
const (
	maxClients  = 10000
	maxRequests = 100_000_000
	maxPipeline = 10000
	maxSize     = 1 << 20
)

func (o options) check() error {
	switch {
	case o.clients < 1 || o.clients > maxClients:
		return errors.New("-c must be 1..10000")
	case o.requests < 1 || o.requests > maxRequests:
		return errors.New("-n must be 1..100000000")
	case o.pipeline < 1 || o.pipeline > maxPipeline:
		return errors.New("-P must be 1..10000")
	case o.wait < -1:
		return errors.New("-wait must be -1 (none) or a replica count")
	case o.keys < 1:
		return errors.New("-r must be at least 1")
	case o.size < 0 || o.size > maxSize:
		return errors.New("-d must be 0..1048576")
	}
	return nil
}
