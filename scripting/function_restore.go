package scripting

import (
	"github.com/geetcache/geetcache/datatypes/rdb"
	"github.com/geetcache/geetcache/protocol"
)

// RestorePolicy is what FUNCTION RESTORE does with existing libraries.
type RestorePolicy uint8

// The restore policies; Append is the default.
const (
	RestoreAppend  RestorePolicy = iota // add; a library that exists is an error
	RestoreReplace                      // add; a library that exists is replaced
	RestoreFlush                        // drop every existing library first
)

// ParseRestorePolicy reads a FUNCTION RESTORE policy argument.
func ParseRestorePolicy(arg []byte) (RestorePolicy, bool) {
	switch {
	case protocol.EqualFold(arg, "append"):
		return RestoreAppend, true
	case protocol.EqualFold(arg, "replace"):
		return RestoreReplace, true
	case protocol.EqualFold(arg, "flush"):
		return RestoreFlush, true
	}
	return 0, false
}

// Restore adds the libraries of a FUNCTION DUMP payload as policy says,
// as Redis 7.0's functionRestoreCommand does. On any error ls is left as
// it was.
func (ls *Libraries) Restore(payload []byte, policy RestorePolicy) error {
	if !rdb.CheckPayload(payload) {
		return replyError(protocol.ErrFuncPayload)
	}
	codes, err := readDumpPayload(payload)
	if err != nil {
		return err
	}
	var src Libraries
	for _, code := range codes {
		if _, err := src.Load(code, false); err != nil {
			return err
		}
	}
	if policy == RestoreFlush {
		*ls = src
		return nil
	}
	return ls.join(&src, policy == RestoreReplace)
}

// join adds src's libraries to ls (Redis's libraryJoin): a library that
// exists is an error unless replace is set, then it is replaced; a
// function name another library holds is an error either way.
func (ls *Libraries) join(src *Libraries, replace bool) error {
	var replaced []*Library
	undo := func() {
		for _, l := range replaced {
			ls.link(l)
		}
	}
	for _, l := range src.Sorted() {
		old := ls.libs[l.Name]
		if old == nil {
			continue
		}
		if !replace {
			undo()
			return replyError(protocol.ErrFuncRestoreLibExists(l.Name))
		}
		ls.unlink(old)
		replaced = append(replaced, old)
	}
	for _, l := range src.Sorted() {
		if f := ls.collision(l); f != nil {
			undo()
			return replyError(protocol.ErrFuncExists(f.Name))
		}
	}
	for _, l := range src.Sorted() {
		ls.link(l)
	}
	return nil
}
