package acl

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
)

// testCatalog is a small command table: strings, a container, pub/sub.
func testCatalog() *Catalog {
	c := NewCatalog()
	c.Add("get", []string{"read", "string", "fast"})
	c.Add("set", []string{"write", "string", "slow"})
	c.Add("hset", []string{"write", "hash", "fast"})
	c.Add("select", []string{"fast", "connection"})
	c.Add("config", []string{"slow"})
	c.Add("config|get", []string{"admin", "slow", "dangerous"})
	c.Add("config|set", []string{"admin", "slow", "dangerous"})
	c.Add("eval", []string{"slow", "scripting"})
	c.Add("publish", []string{"pubsub", "fast"})
	// Fillers, so that a few commands are never most of a category (the
	// description emits a category when most of it is allowed).
	for _, cat := range Categories {
		for i := 0; i < 8; i++ {
			c.Add(fmt.Sprintf("zz%s%d", cat, i), []string{cat})
		}
	}
	return c
}

// The descriptions are Redis 7.0.15's for the same rules (asked with ACL
// LIST), single commands in name order (see CommandRules).
func TestSetUserDescribe(t *testing.T) {
	cases := []struct{ rules, want string }{
		{"on >123 +@scripting +set ~x*", "on #a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3 ~x* resetchannels -@all +@scripting +set"},
		{"%R~r* %W~w* &ch* +get +config|get -config|get +config +get nopass off", "off nopass %R~r* %W~w* resetchannels &ch* -@all +config +get"},
		{"+set +get +set", "off resetchannels -@all +get +set"},
		{"+get -get", "off resetchannels -@all"},
		{"+@all -get -set +get", "off resetchannels +@all -set"},
		{"+@string -get", "off resetchannels -@all +@string -get"},
		{"+@string -@string", "off resetchannels -@all"},
		{"+config -config|get", "off resetchannels -@all +config -config|get"},
		{"+select|0 +select|1", "off resetchannels -@all +select|0 +select|1"},
		{"on >a >b <a %RW~x %R~y ~z &a &b allkeys", "on #3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d ~* resetchannels &a &b -@all"},
		{"on nopass resetpass", "on resetchannels -@all"},
		{"allchannels allcommands allkeys on nopass", "on nopass ~* &* +@all"},
		{"reset", "off sanitize-payload resetchannels -@all"},
	}
	for _, tc := range cases {
		t.Run(tc.rules, func(t *testing.T) {
			users := NewUsers(testCatalog())
			if err := users.SetUser("u", strings.Fields(tc.rules)); err != nil {
				t.Fatal(err)
			}
			if got := users.Get("u").Describe(); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestSetUserErrors(t *testing.T) {
	cases := []struct{ rule, want string }{
		{"foo", "Error in ACL SETUSER modifier 'foo': Syntax error"},
		{"+nosuch", "Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL"},
		{"+@nosuch", "Error in ACL SETUSER modifier '+@nosuch': Unknown command or category name in ACL"},
		{"#abc", "Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"},
		{"<nope", "Error in ACL SETUSER modifier '<nope': The password you are trying to remove from the user does not exist"},
		{"-select|0", "Error in ACL SETUSER modifier '-select|0': Unknown command or category name in ACL"},
		{"+config|nosub", "Error in ACL SETUSER modifier '+config|nosub': Unknown command or category name in ACL"},
		{"%X~a", "Error in ACL SETUSER modifier '%X~a': Syntax error"},
		{"+config|get|x", "Error in ACL SETUSER modifier '+config|get|x': Allowing first-arg of a subcommand is not supported"},
		{"+get|a|b", "Error in ACL SETUSER modifier '+get|a|b': Unknown command or category name in ACL"},
		{"-get|a|b", "Error in ACL SETUSER modifier '-get|a|b': Unknown command or category name in ACL"},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			users := NewUsers(testCatalog())
			err := users.SetUser("u", []string{"on", tc.rule})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if users.Get("u") != nil {
				t.Fatal("a refused SETUSER created the user")
			}
		})
	}
	users := NewUsers(testCatalog())
	for _, pair := range [][2]string{{"allkeys", "~a"}, {"allchannels", "&a"}} {
		if err := users.SetUser("u", pair[:]); err == nil {
			t.Fatalf("%v accepted", pair)
		}
	}
}

func TestChecks(t *testing.T) {
	users := NewUsers(testCatalog())
	if err := users.SetUser("u", strings.Fields("on >p +get +set +config|get +select|0 %R~r* %W~w* ~x* &news.*")); err != nil {
		t.Fatal(err)
	}
	u := users.Get("u")
	cmds := []struct {
		full  string
		first string
		want  bool
	}{
		{"get", "", true}, {"hset", "", false}, {"config|get", "", true}, {"config|set", "", false},
		{"select", "0", true}, {"select", "1", false},
	}
	for _, c := range cmds {
		var first []byte
		if c.first != "" {
			first = []byte(c.first)
		}
		if got := u.CanRun(c.full, first); got != c.want {
			t.Errorf("CanRun(%s %s) = %v", c.full, c.first, got)
		}
	}
	keys := []struct {
		key   string
		flags int
		want  bool
	}{
		{"r1", KeyRead, true}, {"r1", KeyWrite, false}, {"w1", KeyWrite, true}, {"w1", KeyRead, false},
		{"x1", KeyRead | KeyWrite, true}, {"y", KeyRead, false},
	}
	for _, k := range keys {
		if got := u.CanKey([]byte(k.key), k.flags); got != k.want {
			t.Errorf("CanKey(%s, %d) = %v", k.key, k.flags, got)
		}
	}
	if !u.CanChannel([]byte("news.a"), false) || u.CanChannel([]byte("sport"), false) ||
		u.CanChannel([]byte("news.a"), true) || !u.CanChannel([]byte("news.*"), true) {
		t.Error("channel checks")
	}
	if !u.Authenticate([]byte("p")) || u.Authenticate([]byte("q")) {
		t.Error("password check")
	}
	if u.Unrestricted() || !users.Get("default").Unrestricted() {
		t.Error("fast path flag")
	}
}

func TestUsersSnapshotRoundTrip(t *testing.T) {
	users := NewUsers(testCatalog())
	for i, rules := range []string{"on >p +@string -get ~x* &c", "off nopass +config -config|set +select|3", "on >q allkeys allchannels allcommands -hset"} {
		if err := users.SetUser(fmt.Sprint("u", i), strings.Fields(rules)); err != nil {
			t.Fatal(err)
		}
	}
	b := users.AppendSnapshot(nil)
	again := NewUsers(testCatalog())
	if err := again.ReadSnapshot(bufio.NewReader(bytes.NewReader(b))); err != nil {
		t.Fatal(err)
	}
	if got := again.AppendSnapshot(nil); !bytes.Equal(got, b) {
		t.Fatalf("round trip differs:\n%q\n%q", got, b)
	}
	if again.Get("u0").CanRun("get", nil) || !again.Get("u0").CanRun("set", nil) {
		t.Fatal("restored permissions differ")
	}
}

// TestSnapshotSkipsUnknownCommands: a snapshot naming a command this
// binary does not have still loads (the rule is dropped), so removing a
// command never makes a node unable to restore.
func TestSnapshotSkipsUnknownCommands(t *testing.T) {
	b := binary.AppendUvarint(nil, 1)
	b = appendString(b, "u")
	b = appendString(b, "on nopass ~* resetchannels -@all +get +gone +gone|sub")
	users := NewUsers(testCatalog())
	if err := users.ReadSnapshot(bufio.NewReader(bytes.NewReader(b))); err != nil {
		t.Fatal(err)
	}
	if u := users.Get("u"); u == nil || !u.CanRun("get", nil) || u.CanRun("set", nil) {
		t.Fatalf("restored user: %+v", u)
	}
}

// Selectors as redis-server 7.0.15 describes them (ACL LIST), and their
// round trip through a snapshot.
func TestSelectors(t *testing.T) {
	cases := []struct {
		rules []string
		want  string
	}{
		{[]string{"on", "(~a +get)", "(", "~b", "+set", ")", "(%R~c", "&ch", "+@string", "-get)"},
			"on resetchannels -@all (~a resetchannels -@all +get) (~b resetchannels -@all +set) (%R~c resetchannels &ch -@all +@string -get)"},
		{[]string{"()"}, "off resetchannels -@all (resetchannels -@all)"},
		{[]string{"(~x)", "(~y)", "clearselectors", "(~z)"}, "off resetchannels -@all (~z resetchannels -@all)"},
		{[]string{"(~a", "(~b", "+get)"}, "off resetchannels -@all (~b resetchannels -@all +get)"},
		{[]string{"(~a", "", ")"}, "off resetchannels -@all (~a resetchannels -@all)"},
		{[]string{"+@all", "~*", "&*", "(+@all ~* &*)"}, "off ~* &* +@all (~* &* +@all)"},
		{[]string{"(~a)", "reset"}, "off sanitize-payload resetchannels -@all"},
		{[]string{"%R", "%w~x"}, "off %R~ %W~x resetchannels -@all"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.rules, ","), func(t *testing.T) {
			users := NewUsers(testCatalog())
			if err := users.SetUser("u", tc.rules); err != nil {
				t.Fatal(err)
			}
			if got := users.Get("u").Describe(); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
			again := NewUsers(testCatalog())
			if err := again.ReadSnapshot(bufio.NewReader(bytes.NewReader(users.AppendSnapshot(nil)))); err != nil {
				t.Fatal(err)
			}
			if got := again.Get("u").Describe(); got != tc.want {
				t.Fatalf("after a snapshot: %q", got)
			}
		})
	}
}

func TestSelectorErrors(t *testing.T) {
	cases := []struct {
		rules []string
		want  string
	}{
		{[]string{"on", "(this-is-invalid)"}, "Error in ACL SETUSER modifier '(this-is-invalid)': Syntax error"},
		{[]string{"(&*", "&fail)"}, "Error in ACL SETUSER modifier '(&* &fail)': " + errChanAfterAll.Error()},
		{[]string{" () "}, "Error in ACL SETUSER modifier ' () ': Syntax error"},
		{[]string{"("}, "Unmatched parenthesis in acl selector starting at '('."},
		{[]string{"(~a", "+get"}, "Unmatched parenthesis in acl selector starting at '(~a'."},
		{[]string{")"}, "Error in ACL SETUSER modifier ')': Syntax error"},
		{[]string{"(on)"}, "Error in ACL SETUSER modifier '(on)': Syntax error"},
		{[]string{"(~a", "(~b", "c)"}, "Error in ACL SETUSER modifier '(~b c)': Syntax error"},
		{[]string{"~a b"}, "Error in ACL SETUSER modifier '~a b': Syntax error"},
		{[]string{"&a\tb"}, "Error in ACL SETUSER modifier '&a\tb': Syntax error"},
		{[]string{"%RR~a"}, "Error in ACL SETUSER modifier '%RR~a': Syntax error"},
		{[]string{"%~a"}, "Error in ACL SETUSER modifier '%~a': Syntax error"},
		{[]string{"allkeys", "~*", "%X~a"}, "Error in ACL SETUSER modifier '%X~a': " + errKeyAfterAll.Error()},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.rules, ","), func(t *testing.T) {
			users := NewUsers(testCatalog())
			err := users.SetUser("u", tc.rules)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v\nwant %s", err, tc.want)
			}
			if users.Get("u") != nil {
				t.Fatal("a refused SETUSER created the user")
			}
		})
	}
}
