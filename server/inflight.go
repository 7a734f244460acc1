package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// A pipeline's consecutive writes are in flight together (one group
// commit), and each one's reply is made when the state machine applies it,
// before the connection collects it. So that replies stay bounded, a
// connection settles its writes (waits for them and writes their replies)
// before it has more than maxInflightValues in flight that may reply with
// stored values: 100 pipelined GETEX of a 4 MB value made 400 MB of
// replies at once (2 GB of peak RSS), and a longer pipeline more. Other
// writes (SET, INCR...) reply with a few bytes and are not held back.
const maxInflightValues = 16

// valueWrites are the write commands whose reply may carry a stored value
// (a string, an element). EXEC counts too (its reads' replies). Blocking
// commands settle before they run and are not counted.
var valueWrites = map[string]bool{
	"getdel": true, "getex": true, "getset": true,
	"lpop": true, "rpop": true, "lmove": true, "rpoplpush": true, "lmpop": true,
	"spop": true, "zpopmin": true, "zpopmax": true, "zmpop": true,
}

// isValueWrite reports whether the write cmd args may reply with values.
func isValueWrite(cmd *protocol.Command, args [][]byte) bool {
	return valueWrites[cmd.Name] || (cmd.Name == "set" && setWithGet(args))
}

// setWithGet reports whether a SET has the GET option (it replies with the
// old value). A value spelled "get" after the key counts too: harmless.
func setWithGet(args [][]byte) bool {
	for _, a := range args[3:] {
		if protocol.EqualFold(a, "get") {
			return true
		}
	}
	return false
}

// makeRoom settles b's pending writes before one more write that may reply
// with values (if value) would pass maxInflightValues.
func (s *Server) makeRoom(c *client, b *batch, value bool) {
	if !value {
		return
	}
	if b.values >= maxInflightValues {
		s.settle(c, b)
	}
	b.values++
}
