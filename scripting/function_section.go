package scripting

import "bytes"

// The function libraries are the "functions" section of the replicated
// State.
var _ Section = (*Libraries)(nil)

// Clone returns a copy for a snapshot being persisted while Apply goes on.
func (ls *Libraries) Clone() Section { return ls.clone() }

// Reset removes every library.
func (ls *Libraries) Reset() { ls.Flush() }

// ReadSnapshot replaces the libraries with what AppendSnapshot wrote.
func (ls *Libraries) ReadSnapshot(b []byte) error {
	restored, err := ReadLibrariesSnapshot(bytes.NewReader(b))
	if err != nil {
		return err
	}
	*ls = *restored
	return nil
}
