package protocol

import "strconv"

// dbUnit is the extra unit carrying the units' databases (entryDBs), or
// nil when every unit and watched key is in database 0.
func (e *Entry) dbUnit() *Unit {
	if !e.namesDBs() {
		return nil
	}
	cmds := make([][][]byte, len(e.Units))
	for i := range e.Units {
		u := &e.Units[i]
		argv := [][]byte{strconv.AppendInt(nil, int64(u.DB), 10)}
		if u.Watch != nil {
			for _, k := range u.Watch.Keys {
				argv = append(argv, strconv.AppendInt(nil, int64(k.DB), 10))
			}
		}
		cmds[i] = argv
	}
	return &Unit{Cmds: cmds}
}

// namesDBs reports whether a unit or watched key of e is in a database
// other than 0.
func (e *Entry) namesDBs() bool {
	for i := range e.Units {
		if e.Units[i].DB != 0 {
			return true
		}
		if w := e.Units[i].Watch; w != nil {
			for _, k := range w.Keys {
				if k.DB != 0 {
					return true
				}
			}
		}
	}
	return false
}

// takeDBs turns a decoded entry with entryDBs back into its kind, with
// its units' and watched keys' databases.
func (e *Entry) takeDBs() bool {
	n := len(e.Units) - 1
	if n < 0 || len(e.Units[n].Cmds) != n-e.originUnits()-e.usersUnits() {
		return false
	}
	for i, argv := range e.Units[n].Cmds {
		u := &e.Units[i]
		if len(argv) != 1+u.watchedKeys() {
			return false
		}
		db, ok := parseEntryDB(argv[0])
		if !ok {
			return false
		}
		u.DB = db
		for j := 1; j < len(argv); j++ {
			if u.Watch.Keys[j-1].DB, ok = parseEntryDB(argv[j]); !ok {
				return false
			}
		}
	}
	e.Kind, e.Units = e.Kind&^entryDBs, e.Units[:n]
	return true
}

// originUnits is how many of e's decoded units are the origins' unit: one
// for entryCommandsOrigin (its units' origins not yet taken).
func (e *Entry) originUnits() int {
	if e.Kind&^(entryDBs|entryUsers) == entryCommandsOrigin {
		return 1
	}
	return 0
}

func (u *Unit) watchedKeys() int {
	if u.Watch == nil {
		return 0
	}
	return len(u.Watch.Keys)
}

func parseEntryDB(b []byte) (int, bool) {
	n, ok := ParseInt(b)
	if !ok || n < 0 || n >= maxEntryDB {
		return 0, false
	}
	return int(n), true
}

// MaxDB returns the highest database e's units and watched keys name.
func (e *Entry) MaxDB() int {
	n := 0
	for i := range e.Units {
		n = max(n, e.Units[i].DB)
		if w := e.Units[i].Watch; w != nil {
			for _, k := range w.Keys {
				n = max(n, k.DB)
			}
		}
	}
	return n
}
