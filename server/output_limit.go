package server

import (
	"strconv"
	"strings"
	"time"
)

// outputLimit is one client class's client-output-buffer-limit: a client
// whose pending output passes hard, or stays above soft for more than
// softSeconds, is closed. Zero disables a limit.
type outputLimit struct {
	hard, soft  uint64
	softSeconds int64
}

// outputLimits holds a limit per client class, indexed by clientType
// (normal, replica, pubsub; a master has none).
type outputLimits [typeMaster]outputLimit

// defaultOutputLimits are Redis 7.0's.
var defaultOutputLimits = outputLimits{
	typeNormal:  {},
	typeReplica: {hard: 256 << 20, soft: 64 << 20, softSeconds: 60},
	typePubSub:  {hard: 32 << 20, soft: 8 << 20, softSeconds: 60},
}

// outputClassNames are the class names CONFIG GET prints, in its order.
var outputClassNames = [typeMaster]string{typeNormal: "normal", typeReplica: "slave", typePubSub: "pubsub"}

// String is the value as CONFIG GET client-output-buffer-limit prints it.
func (l *outputLimits) String() string {
	var b []byte
	for t, lim := range l {
		if t > 0 {
			b = append(b, ' ')
		}
		b = append(b, outputClassNames[t]...)
		b = append(b, ' ')
		b = strconv.AppendUint(b, lim.hard, 10)
		b = append(b, ' ')
		b = strconv.AppendUint(b, lim.soft, 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, lim.softSeconds, 10)
	}
	return string(b)
}

// Redis's reasons for refusing a client-output-buffer-limit value.
const (
	errOutputLimitCount  = "Wrong number of arguments in buffer limit configuration."
	errOutputLimitClass  = "Invalid client class specified in buffer limit configuration."
	errOutputLimitNumber = "Error in hard, soft or soft_seconds setting in buffer limit configuration."
)

// parseOutputLimits applies v, "<class> <hard> <soft> <soft seconds> ...",
// to cur as Redis 7.0 does: words split on single spaces, every class
// checked before any number, a later class entry wins, an empty value
// changes nothing. It returns the new limits or Redis's reason.
func parseOutputLimits(cur outputLimits, v string) (outputLimits, string) {
	if v == "" {
		return cur, ""
	}
	args := strings.Split(v, " ")
	if len(args)%4 != 0 {
		return cur, errOutputLimitCount
	}
	for j := 0; j < len(args); j += 4 {
		if t, ok := parseClientType([]byte(args[j])); !ok || t == typeMaster {
			return cur, errOutputLimitClass
		}
	}
	next := cur
	for j := 0; j < len(args); j += 4 {
		t, _ := parseClientType([]byte(args[j]))
		hard, okHard := memToUint64(args[j+1])
		soft, okSoft := memToUint64(args[j+2])
		secs, okSecs := softSeconds(args[j+3])
		if !okHard || !okSoft || !okSecs {
			return cur, errOutputLimitNumber
		}
		next[t] = outputLimit{hard: hard, soft: soft, softSeconds: secs}
	}
	return next, ""
}

// memUnits are the multipliers of Redis's memtoull, by suffix (any case).
var memUnits = map[string]uint64{
	"": 1, "b": 1, "k": 1000, "kb": 1 << 10, "m": 1000 * 1000, "mb": 1 << 20,
	"g": 1000 * 1000 * 1000, "gb": 1 << 30,
}

// memToUint64 is Redis's memtoull: digits then an optional unit. As in
// Redis, no digits means 0, a number past 2^64-1 is 2^64-1, and the unit's
// product wraps around.
func memToUint64(s string) (uint64, bool) {
	digits := 0
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	mul, ok := memUnits[strings.ToLower(s[digits:])]
	if !ok || digits >= 128 {
		return 0, false
	}
	v, err := strconv.ParseUint(s[:digits], 10, 64)
	if err != nil && digits > 0 {
		v = ^uint64(0) // strtoull saturates
	}
	return v * mul, true
}

// softSeconds parses the soft limit's seconds as Redis 7.0 does: strtoll
// (leading blanks and a sign allowed, saturating), the result stored in a
// C int (truncated to 32 bits), then refused if negative.
func softSeconds(s string) (int64, bool) {
	v, rest := strtoll(s)
	if rest != "" {
		return 0, false
	}
	n := int64(int32(v))
	return n, n >= 0
}

// strtoll is C's strtoll in base 10: it returns the value and the text it
// did not consume (all of s when there are no digits).
func strtoll(s string) (int64, string) {
	i := 0
	for i < len(s) && strings.IndexByte(" \t\n\v\f\r", s[i]) >= 0 {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if v > (1<<63-d)/10 {
			v = 1 << 63 // saturated: the sign decides which end
			continue
		}
		v = v*10 + d
	}
	if i == start {
		return 0, s
	}
	switch {
	case neg && v >= 1<<63:
		return -1 << 63, s[i:]
	case neg:
		return -int64(v), s[i:]
	case v >= 1<<63:
		return 1<<63 - 1, s[i:]
	}
	return int64(v), s[i:]
}

// overLimit reports whether pending output bytes put a client over lim at
// now: past the hard limit, or above the soft one for more than its
// seconds (counted in whole seconds, as Redis counts them). softSince is
// when the client went above the soft limit, zero while it is not; the
// caller keeps it.
func (lim outputLimit) overLimit(pending uint64, softSince *time.Time, now time.Time) bool {
	if lim.hard > 0 && pending >= lim.hard {
		return true
	}
	if lim.soft == 0 || pending < lim.soft {
		*softSince = time.Time{}
		return false
	}
	if softSince.IsZero() {
		*softSince = now
		return false
	}
	return now.Unix()-softSince.Unix() > lim.softSeconds
}

func (lim outputLimit) none() bool { return lim.hard == 0 && lim.soft == 0 }
