package discovery

// Slots is the number of Redis Cluster hash slots.
const Slots = 16384

// crcTable is CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0),
// the checksum Redis Cluster hashes keys with.
var crcTable = func() (t [256]uint16) {
	for i := range t {
		crc := uint16(i) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
		t[i] = crc
	}
	return t
}()

func crc16[T string | []byte](b T) uint16 {
	var crc uint16
	for i := 0; i < len(b); i++ {
		crc = crc<<8 ^ crcTable[byte(crc>>8)^b[i]]
	}
	return crc
}

// KeySlot is key's hash slot as Redis Cluster computes it: the CRC16 of
// the key, or of its hash tag (the bytes between the first '{' and the
// first '}' after it, when there are any), modulo 16384.
func KeySlot[T string | []byte](key T) int {
	return int(crc16(hashTag(key)) & (Slots - 1))
}

// hashTag is the part of key that is hashed.
func hashTag[T string | []byte](key T) T {
	for i := 0; i < len(key); i++ {
		if key[i] != '{' {
			continue
		}
		for j := i + 1; j < len(key); j++ {
			if key[j] == '}' {
				if j == i+1 {
					return key // "{}": the whole key
				}
				return key[i+1 : j]
			}
		}
		return key
	}
	return key
}
