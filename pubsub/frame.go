package pubsub

import "strconv"

// AppendPushHeader appends the header of a push of n elements: an array in
// RESP2, a push frame ('>') in RESP3, as Redis sends subscription
// confirmations and messages.
func AppendPushHeader(b []byte, proto, n int) []byte {
	if proto == 3 {
		b = append(b, '>')
	} else {
		b = append(b, '*')
	}
	return appendCRLF(strconv.AppendInt(b, int64(n), 10))
}

// AppendBulk appends a bulk string.
func AppendBulk(b []byte, s []byte) []byte {
	b = appendCRLF(strconv.AppendInt(append(b, '$'), int64(len(s)), 10))
	return appendCRLF(append(b, s...))
}

// AppendConfirm appends the confirmation of a (un)subscription: word, the
// name (null when name is nil: an unsubscription from nothing) and the
// connection's count of subscriptions after it.
func AppendConfirm(b []byte, proto int, word string, name []byte, count int) []byte {
	b = AppendPushHeader(b, proto, 3)
	b = AppendBulk(b, []byte(word))
	switch {
	case name != nil:
		b = AppendBulk(b, name)
	case proto == 3:
		b = append(b, "_\r\n"...)
	default:
		b = append(b, "$-1\r\n"...)
	}
	return appendCRLF(strconv.AppendInt(append(b, ':'), int64(count), 10))
}

// appendMessage appends a message push: kind's message word, the pattern
// when it came through one (pattern non-nil), the channel and the payload.
func appendMessage(b []byte, proto int, k Kind, pattern, channel, msg []byte) []byte {
	n := 3
	if pattern != nil {
		n = 4
	}
	b = AppendPushHeader(b, proto, n)
	b = AppendBulk(b, []byte(kindNames[k].message))
	if pattern != nil {
		b = AppendBulk(b, pattern)
	}
	return AppendBulk(AppendBulk(b, channel), msg)
}

func appendCRLF(b []byte) []byte { return append(b, '\r', '\n') }
