package server

import (
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

func TestXReadNotesBefore(t *testing.T) {
	stream := func(ms uint64) *datatypes.Entry {
		s := datatypes.NewStream()
		s.SetLastID(datatypes.StreamID{Ms: ms, Seq: 1})
		return &datatypes.Entry{Value: s}
	}
	str := &datatypes.Entry{Value: datatypes.String("x")}
	type write struct {
		key      string
		appended int64
		e        *datatypes.Entry
	}
	tests := []struct {
		name   string
		writes []write
		key    string
		from   int64
		want   keyBefore
		wantOK bool
	}{
		{"no write", nil, "k", 5, keyBefore{}, false},
		{"only before", []write{{"k", 3, stream(1)}}, "k", 5, keyBefore{}, false},
		{"the first after", []write{{"k", 3, nil}, {"k", 6, stream(2)}, {"k", 7, str}}, "k", 5,
			keyBefore{appended: 6, held: heldStream, last: datatypes.StreamID{Ms: 2, Seq: 1}}, true},
		{"nothing before", []write{{"k", 6, nil}, {"k", 7, stream(3)}}, "k", 5, keyBefore{appended: 6, held: heldNothing}, true},
		{"another type before", []write{{"k", 6, str}}, "k", 5, keyBefore{appended: 6, held: heldOther}, true},
		{"another key's writes", []write{{"j", 6, stream(4)}}, "k", 5, keyBefore{}, false},
		{"pushed out after from", []write{{"k", 6, stream(1)}, {"k", 7, nil}, {"k", 8, nil}, {"k", 9, nil}, {"k", 10, nil}}, "k", 5, keyBefore{}, false},
		{"a flush after from", []write{{"k", 3, nil}, {"", 6, nil}, {"k", 7, nil}}, "k", 5, keyBefore{}, false},
		{"a flush before from", []write{{"", 3, nil}, {"k", 6, stream(6)}}, "k", 5,
			keyBefore{appended: 6, held: heldStream, last: datatypes.StreamID{Ms: 6, Seq: 1}}, true},
		{"pushed out before from", []write{{"k", 1, nil}, {"k", 6, stream(5)}, {"k", 7, nil}, {"k", 8, nil}, {"k", 9, nil}}, "k", 5,
			keyBefore{appended: 6, held: heldStream, last: datatypes.StreamID{Ms: 5, Seq: 1}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n xreadNotes
			for _, w := range tt.writes {
				if w.key == "" {
					n.flush(w.appended)
					continue
				}
				n.note(0, []byte(w.key), w.appended, w.e)
			}
			got, ok := n.before(0, []byte(tt.key), tt.from)
			if ok && tt.wantOK {
				tt.want.key = got.key
			}
			if ok != tt.wantOK || got != tt.want {
				t.Fatalf("before = %+v, %v; want %+v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
