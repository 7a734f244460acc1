package cluster

import (
	"bytes"
	"encoding/binary"
	"errors"

	"github.com/hashicorp/go-msgpack/v2/codec"
	"github.com/hashicorp/raft"
	"go.etcd.io/bbolt"
)

// logStore is Raft's log and stable store in raft.db. It keeps exactly
// raft-boltdb v2's layout (buckets "logs" and "conf", big-endian uint64
// keys, msgpack-encoded logs with the old time format), so data
// directories written by either open with the other. It differs in one
// thing: StoreLogs encodes each log into a buffer sized for it, where
// raft-boltdb's bytes.Buffer grew by doubling and held twice a large
// entry (a 100 MB SET: a 200 MB buffer) while bbolt copied it.
//
// Every method may be called concurrently; bbolt serialises writers.
type logStore struct {
	db *bbolt.DB
}

var (
	_ raft.LogStore    = (*logStore)(nil)
	_ raft.StableStore = (*logStore)(nil)
)

var (
	bucketLogs = []byte("logs")
	bucketConf = []byte("conf")
)

// errKeyNotFound is what Get returns for a missing key. Raft compares the
// text: it must stay "not found".
var errKeyNotFound = errors.New("not found")

// logMsgpackSlack is room for the msgpack framing and raft.Log's other
// fields around Data and Extensions.
const logMsgpackSlack = 256

// newLogStore opens (creating if needed) the store in db.
func newLogStore(db *bbolt.DB) (*logStore, error) {
	err := db.Update(func(tx *bbolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketLogs); err != nil {
			return err
		}
		_, err := tx.CreateBucketIfNotExists(bucketConf)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &logStore{db: db}, nil
}

// Close closes the bbolt file.
func (s *logStore) Close() error { return s.db.Close() }

// FirstIndex returns the first stored log's index, 0 if none.
func (s *logStore) FirstIndex() (uint64, error) { return s.edgeIndex(false) }

// LastIndex returns the last stored log's index, 0 if none.
func (s *logStore) LastIndex() (uint64, error) { return s.edgeIndex(true) }

func (s *logStore) edgeIndex(last bool) (uint64, error) {
	var idx uint64
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketLogs).Cursor()
		k, _ := c.First()
		if last {
			k, _ = c.Last()
		}
		if k != nil {
			idx = binary.BigEndian.Uint64(k)
		}
		return nil
	})
	return idx, err
}

// GetLog reads log idx into l. The decoder copies what it reads: nothing
// in l aliases bbolt's mapping, which is gone after the transaction.
func (s *logStore) GetLog(idx uint64, l *raft.Log) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		val := tx.Bucket(bucketLogs).Get(indexKey(idx))
		if val == nil {
			return raft.ErrLogNotFound
		}
		return codec.NewDecoder(bytes.NewReader(val), &codec.MsgpackHandle{}).Decode(l)
	})
}

// StoreLog stores one log.
func (s *logStore) StoreLog(l *raft.Log) error { return s.StoreLogs([]*raft.Log{l}) }

// StoreLogs stores logs in one transaction.
func (s *logStore) StoreLogs(logs []*raft.Log) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		bucket := tx.Bucket(bucketLogs)
		for _, l := range logs {
			val, err := encodeLog(l)
			if err != nil {
				return err
			}
			if err := bucket.Put(indexKey(l.Index), val); err != nil {
				return err
			}
		}
		return nil
	})
}

// encodeLog encodes l as raft-boltdb v2 does by default, into a buffer
// sized for it.
func encodeLog(l *raft.Log) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, len(l.Data)+len(l.Extensions)+logMsgpackSlack))
	h := &codec.MsgpackHandle{BasicHandle: codec.BasicHandle{TimeNotBuiltin: true}}
	err := codec.NewEncoder(buf, h).Encode(l)
	return buf.Bytes(), err
}

// DeleteRange deletes the logs from min to max, inclusive.
func (s *logStore) DeleteRange(min, max uint64) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketLogs).Cursor()
		for k, _ := c.Seek(indexKey(min)); k != nil && binary.BigEndian.Uint64(k) <= max; k, _ = c.Next() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
}

// Set stores a stable-store key.
func (s *logStore) Set(k, v []byte) error {
	return s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketConf).Put(k, v) })
}

// Get returns a copy of a stable-store key's value, or errKeyNotFound.
func (s *logStore) Get(k []byte) ([]byte, error) {
	var v []byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		val := tx.Bucket(bucketConf).Get(k)
		if val == nil {
			return errKeyNotFound
		}
		v = append([]byte(nil), val...)
		return nil
	})
	return v, err
}

// SetUint64 stores v big-endian under k.
func (s *logStore) SetUint64(k []byte, v uint64) error { return s.Set(k, indexKey(v)) }

// GetUint64 reads what SetUint64 stored.
func (s *logStore) GetUint64(k []byte) (uint64, error) {
	v, err := s.Get(k)
	if err != nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, errors.New("stable store value is not 8 bytes")
	}
	return binary.BigEndian.Uint64(v), nil
}

func indexKey(i uint64) []byte { return binary.BigEndian.AppendUint64(nil, i) }
