//go:build !linux

package server

import "net"

// stampListener does nothing here: only Linux stamps the packets of a TCP
// connection as they arrive; commands are stamped when read (arrivalOf).
func stampListener(net.Listener) {}

// stampedReader is never made here (newStampedReader returns nil).
type stampedReader struct{ stamp int64 }

func newStampedReader(net.Conn) *stampedReader { return nil }

func (r *stampedReader) Read([]byte) (int, error) { panic("unreachable") }

func (r *stampedReader) waitReadable() error { panic("unreachable") }
