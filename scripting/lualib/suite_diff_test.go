package lualib

import "testing"

// redisSuiteCases are the library tests of Redis 7.0.15's
// tests/unit/scripting.tcl, as snippets (hex dumps use the preamble's
// hex(), not string.format, which belongs to the sandbox).
var redisSuiteCases = []string{
	`return table.concat(cjson.decode("[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]"), " ")`,
	`local decoded = cjson.decode('{"keya": "a", "keyb": "b"}') return decoded.keya .. decoded.keyb`,
	`local some_map = {s1="Some string", n1=100, a1={"Some","String","Array"}, nil1=nil, b1=true, b2=false}
	local encoded = cjson.encode(some_map)
	local decoded = cjson.decode(encoded)
	assert(table.concat(some_map) == table.concat(decoded))
	cjson.encode_keep_buffer(false)
	encoded = cjson.encode(some_map)
	decoded = cjson.decode(encoded)
	assert(table.concat(some_map) == table.concat(decoded))
	local table1 = {one="one", [1]="one"}
	encoded = cjson.encode(table1)
	decoded = cjson.decode(encoded)
	assert(decoded["one"] == table1["one"])
	assert(decoded["1"] == table1[1])
	local array1 = {[1]="one", [2]="two"}
	encoded = cjson.encode(array1)
	decoded = cjson.decode(encoded)
	assert(table.concat(array1) == table.concat(decoded))
	local invalid_map = {}
	invalid_map[false] = "false"
	local ok, encoded = pcall(cjson.encode, invalid_map)
	assert(ok == false)
	cjson.encode_max_depth(1)
	ok, encoded = pcall(cjson.encode, some_map)
	assert(ok == false)
	cjson.decode_max_depth(1)
	ok, decoded = pcall(cjson.decode, '{"obj": {"array": [1,2,3,4]}}')
	assert(ok == false)
	ok, encoded = pcall(cjson.encode, {num1=0/0})
	assert(ok == false)
	cjson.encode_invalid_numbers(true)
	ok, encoded = pcall(cjson.encode, {num1=0/0})
	assert(ok == true)
	cjson.decode_max_depth(1000)
	cjson.encode_max_depth(1000)
	cjson.encode_invalid_numbers(false)
	return "done"`,
	`return hex(cmsgpack.pack(0.1))`,
	`return hex(cmsgpack.pack(-1099511627776))`,
	`local str_lt_32 = string.rep("x", 30)
	local str_lt_255 = string.rep("x", 250)
	local str_lt_65535 = string.rep("x", 65530)
	local str_long = string.rep("x", 100000)
	local array_lt_15 = {1, 2, 3, 4, 5}
	local array_lt_65535 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}
	local array_big = {}
	for i=1, 100000 do array_big[i] = i end
	local map_lt_15 = {a=1, b=2}
	local map_big = {}
	for i=1, 100000 do map_big[tostring(i)] = i end
	local some_map = {s1=str_lt_32, s2=str_lt_255, s3=str_lt_65535, s4=str_long, d1=0.1, i1=1, i2=250,
		i3=65530, i4=100000, i5=2^40, i6=-1, i7=-120, i8=-32000, i9=-100000, i10=-3147483648,
		a1=array_lt_15, a2=array_lt_65535, a3=array_big, m1=map_lt_15, m2=map_big, b1=false, b2=true, n=nil}
	local encoded = cmsgpack.pack(some_map)
	local decoded = cmsgpack.unpack(encoded)
	assert(table.concat(some_map) == table.concat(decoded))
	local offset, decoded_one = cmsgpack.unpack_one(encoded, 0)
	assert(table.concat(some_map) == table.concat(decoded_one))
	assert(offset == -1)
	local encoded_multiple = cmsgpack.pack(str_lt_32, str_lt_255, str_lt_65535, str_long)
	local offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, 0)
	assert(obj == str_lt_32)
	offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset)
	assert(obj == str_lt_255)
	offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset)
	assert(obj == str_lt_65535)
	offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset)
	assert(obj == str_long)
	assert(offset == -1)
	return #encoded .. " " .. dump(decoded.i10) .. dump(decoded.i5) .. dump(decoded.d1) .. #decoded.a3 .. decoded.m2["777"]`,
	`local a = {x=nil,y=5}
	local b = {x=a}
	a['x'] = b
	local encoded = cmsgpack.pack(a)
	local re = cmsgpack.unpack(encoded)
	assert(re)
	assert(re.x)
	assert(re.x.x.y == re.y)
	assert(re.x.x.x.x.y == re.y)
	assert(re.x.x.x.x.x.x.y == re.y)
	assert(re.x.x.x.x.x.x.x.x.x.x.y == re.y)
	assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.y == re.y)
	assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x)
	assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x == nil)
	return hex(encoded) .. " " .. tostring(re.x.x.x.x.x.x.x.x.y == re.y) .. " " .. tostring(re.y == 5)`,
	`assert(bit.tobit(1) == 1); assert(bit.band(1) == 1); assert(bit.bxor(1,2) == 3);
	assert(bit.bor(1,2,4,8,16,32,64,128) == 255) return "done"`,
}

func TestRedisSuiteLibraryCases(t *testing.T) {
	diffCases(t, redisSuiteCases)
}
