//go:build !linux

package main

import (
	"errors"
	"net"
)

// serveLoop needs Linux's epoll.
func serveLoop(net.Listener, *store, string) error {
	return errors.New("the loop models need Linux")
}
