package protocol

import "github.com/geetcache/geetcache/datatypes"

// setOutcome is how a SET-style write ended.
type setOutcome uint8

const (
	setFailed  setOutcome = iota // an error was replied
	setAborted                   // NX or XX left the key alone
	setStored                    // the value was stored
)

// setKey runs the steps of Redis's setGenericCommand in its order: expiry
// validation, the GET reply (WRONGTYPE stops everything), the NX/XX
// condition, then the store, which drops the old TTL unless KEEPTTL. cmd is
// the lower-case command name for the expiry error. The caller replies
// after setAborted or setStored unless o.get.
func setKey(c *Ctx, o setOptions, cmd string, key, val []byte) setOutcome {
	var at int64
	if o.kind != noExpire {
		var ok bool
		if at, ok = o.expireAt(c, cmd); !ok {
			return setFailed
		}
	}
	var e *datatypes.Entry
	if o.get { // Redis's GET reads the key first (keymiss), then looks it up to write
		e = c.LookupRead(key)
	} else {
		e = c.Lookup(key)
	}
	if o.get && !replyValue(c, e) {
		return setFailed
	}
	if (o.nx && e != nil) || (o.xx && e == nil) {
		return setAborted
	}
	if o.keepTTL && e != nil {
		at = e.ExpireAt
	}
	storeString(c, key, val, at)
	c.Notify(NotifyString, "set", key)
	if o.kind != noExpire {
		c.Notify(NotifyGeneric, "expire", key)
	}
	return setStored
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
// EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
func set(c *Ctx) {
	o, ok := parseSetOptions(c.Args[3:], false)
	if !ok {
		c.Out.Error(ErrSyntax)
		return
	}
	switch setKey(c, o, "set", c.Args[1], c.Args[2]) {
	case setStored:
		if !o.get {
			c.Out.OK()
		}
	case setAborted:
		if !o.get {
			c.Out.Null()
		}
	}
}

// SETNX key value
func setnx(c *Ctx) {
	switch setKey(c, setOptions{nx: true}, "setnx", c.Args[1], c.Args[2]) {
	case setStored:
		c.Out.Int(1)
	case setAborted:
		c.Out.Int(0)
	}
}

// SETEX key seconds value
func setex(c *Ctx) {
	setWithExpire(c, expireEX, "setex")
}

// PSETEX key milliseconds value
func psetex(c *Ctx) {
	setWithExpire(c, expirePX, "psetex")
}

func setWithExpire(c *Ctx, kind expireKind, cmd string) {
	o := setOptions{kind: kind, expire: c.Args[2]}
	if setKey(c, o, cmd, c.Args[1], c.Args[3]) == setStored {
		c.Out.OK()
	}
}

// MSET key value [key value ...]
func mset(c *Ctx) {
	if len(c.Args)%2 == 0 {
		c.Out.Error(ErrWrongArity("mset"))
		return
	}
	storePairs(c)
	c.Out.OK()
}

// MSETNX key value [key value ...]
func msetnx(c *Ctx) {
	if len(c.Args)%2 == 0 {
		c.Out.Error(ErrWrongArity("msetnx"))
		return
	}
	for i := 1; i < len(c.Args); i += 2 {
		if c.Lookup(c.Args[i]) != nil {
			c.Out.Int(0)
			return
		}
	}
	storePairs(c)
	c.Out.Int(1)
}

// storePairs stores each key/value pair of the arguments, in order, without
// a TTL.
func storePairs(c *Ctx) {
	for i := 1; i < len(c.Args); i += 2 {
		storeString(c, c.Args[i], c.Args[i+1], 0)
		c.Notify(NotifyString, "set", c.Args[i])
	}
	c.AddDirty(int64(len(c.Args) / 2)) // Redis's (argc-1)/2
}
