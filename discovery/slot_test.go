package discovery

import "testing"

// Slots redis-server 7.0.15 gave for these keys (CLUSTER KEYSLOT).
func TestKeySlot(t *testing.T) {
	for _, tc := range []struct {
		key  string
		slot int
	}{
		{"foo", 12182},
		{"{foo}x", 12182},
		{"{}a", 10875},
		{"a{b}c{d}", 3300},
		{"{b}", 3300},
		{"123456789", 12739}, // CRC16/XMODEM check value 0x31C3
		{"", 0},
		{"{", 4092},
		{"a}b{", 6027},
	} {
		t.Run(tc.key, func(t *testing.T) {
			if got := KeySlot([]byte(tc.key)); got != tc.slot {
				t.Errorf("KeySlot(%q) = %d, want %d", tc.key, got, tc.slot)
			}
		})
	}
}
