package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/geetcache/geetcache/tlsconf/tlstest"
)

// tlsClientConfig is a client's TLS configuration: certFile/keyFile as
// its certificate ("" for none), trusting caFile.
func tlsClientConfig(t testing.TB, caFile, certFile, keyFile string) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c := &tls.Config{RootCAs: pool, ServerName: "localhost"}
	if certFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			t.Fatal(err)
		}
		c.Certificates = []tls.Certificate{cert}
	}
	return c
}

// startTLSNode starts a node whose clients' TLS port uses f's node
// certificate; with only, it has no plain port (--port 0). The node's
// port is its TLS port and its client connects with the client
// certificate.
func startTLSNode(t *testing.T, f tlstest.Files, only bool, extra ...string) *node {
	t.Helper()
	ports := freePorts(t, 3)
	n := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir(),
		tls: tlsClientConfig(t, f.CA, f.ClientCert, f.ClientKey)}
	plain := ports[2]
	if only {
		plain = 0
	}
	n.args = append([]string{"--port", strconv.Itoa(plain), "--tls-port", strconv.Itoa(n.port), "--bind", "127.0.0.1",
		"--dir", n.dir, "--raft-addr", "127.0.0.1:" + strconv.Itoa(n.raftPort),
		"--tls-cert-file", f.Cert, "--tls-key-file", f.Key, "--tls-ca-cert-file", f.CA}, extra...)
	n.launch()
	return n
}

// tlsRefused reports how a TLS client with cfg fares on n: nil if a PING
// got PONG, else the error.
func tlsPing(n *node, cfg *tls.Config) error {
	c := n.Client(func(o *redis.Options) { o.TLSConfig = cfg; o.MaxRetries = -1; o.DialTimeout = 5 * time.Second })
	return c.Ping(ctx).Err()
}

// TestTLSClients: the clients' TLS port serves go-redis and the real
// redis-cli with a client certificate of the CA, and refuses a client
// without a certificate, one whose certificate another CA signed, and
// plain text; the plain port works beside it.
func TestTLSClients(t *testing.T) {
	f := tlstest.Write(t, t.TempDir())
	n := startTLSNode(t, f, false)
	c := n.Client()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("SET over TLS: %v", err)
	}
	if v, err := c.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("GET over TLS = %q, %v", v, err)
	}
	t.Run("redis-cli --tls", func(t *testing.T) {
		cli := lookRedisCLI(t)
		out, err := exec.Command(cli, "-p", strconv.Itoa(n.port), "--tls", "--cert", f.ClientCert, "--key", f.ClientKey,
			"--cacert", f.CA, "GET", "k").CombinedOutput()
		if err != nil || string(out) != "v\n" {
			t.Fatalf("redis-cli --tls GET k = %q, %v", out, err)
		}
		out, _ = exec.Command(cli, "-p", strconv.Itoa(n.port), "--tls", "--cacert", f.CA, "PING").CombinedOutput()
		if strings.Contains(string(out), "PONG") {
			t.Fatalf("redis-cli --tls without a certificate got %q", out)
		}
	})
	t.Run("ioredis and node-redis", func(t *testing.T) {
		modules := nodeModules(t)
		runClient(t, []string{"NODE_PATH=" + modules}, "node", filepath.Join("testdata", "node", "tls.js"),
			"127.0.0.1", strconv.Itoa(n.port), f.CA, f.ClientCert, f.ClientKey)
	})
	refused := []struct {
		name string
		cfg  *tls.Config
	}{
		{"no certificate", tlsClientConfig(t, f.CA, "", "")},
		{"certificate of another CA", tlsClientConfig(t, f.CA, f.RogueCert, f.RogueKey)},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			if err := tlsPing(n, tc.cfg); err == nil {
				t.Fatal("PING over TLS succeeded")
			}
		})
	}
	t.Run("server not trusted", func(t *testing.T) {
		if err := tlsPing(n, tlsClientConfig(t, f.RogueCA, f.ClientCert, f.ClientKey)); err == nil {
			t.Fatal("a client that trusts another CA accepted the node's certificate")
		}
	})
	t.Run("plain text to the TLS port", func(t *testing.T) {
		conn := n.Dial()
		conn.Write([]byte("*1\r\n$4\r\nPING\r\n"))
		got, err := readUntilClosed(conn, 15*time.Second)
		if err != nil || strings.Contains(string(got), "PONG") {
			t.Fatalf("plain text on the TLS port: read %q, %v; want the connection closed", got, err)
		}
	})
	t.Run("plain port beside", func(t *testing.T) {
		plain := &node{t: t, port: portArg(t, n.args, "--port")}
		if err := plain.ping(); err != nil {
			t.Fatalf("plain port: %v", err)
		}
	})
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("the first client after the refusals: %v", err)
	}
}

func portArg(t *testing.T, args []string, name string) int {
	for i, a := range args {
		if a == name {
			p, _ := strconv.Atoi(args[i+1])
			return p
		}
	}
	t.Fatalf("no %s in %v", name, args)
	return 0
}

// TestTLSOnly: --port 0 with --tls-port serves TLS only (Redis's rule):
// INFO's tcp_port is the TLS port, and the node listens once.
func TestTLSOnly(t *testing.T) {
	f := tlstest.Write(t, t.TempDir())
	n := startTLSNode(t, f, true)
	c := n.Client()
	info, err := c.Info(ctx, "server").Result()
	if err != nil || !strings.Contains(info, "tcp_port:"+strconv.Itoa(n.port)+"\r\n") {
		t.Fatalf("INFO server over TLS: %v; want tcp_port:%d in %q", err, n.port, info)
	}
	if got, _ := c.ConfigGet(ctx, "port").Result(); got["port"] != "0" {
		t.Fatalf("CONFIG GET port = %v, want 0", got)
	}
	listens := 0
	n.logMu.Lock()
	for _, l := range n.logTail {
		if strings.Contains(l, `msg=listening`) {
			listens++
		}
	}
	n.logMu.Unlock()
	if listens != 1 {
		t.Fatalf("the node listened %d times, want once (TLS only)", listens)
	}
}

// TestTLSReload: CONFIG SET tls-cert-file/tls-key-file loads a renewed
// certificate for new connections without a restart; a set that does not
// load keeps the old one with Redis's error; tls-auth-clients no lets a
// client without a certificate in.
func TestTLSReload(t *testing.T) {
	dir := t.TempDir()
	f := tlstest.Write(t, dir)
	n := startTLSNode(t, f, true)
	c := n.Client()
	serial := func(cfg *tls.Config) string {
		conn, err := tls.Dial("tcp", n.addr(), cfg)
		if err != nil {
			t.Fatalf("TLS dial: %v", err)
		}
		defer conn.Close()
		return conn.ConnectionState().PeerCertificates[0].SerialNumber.String()
	}
	before := serial(n.tls)
	err := c.ConfigSet(ctx, "tls-cert-file", dir+"/missing.crt").Err()
	want := "ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs."
	if err == nil || err.Error() != want {
		t.Fatalf("CONFIG SET tls-cert-file missing = %v, want %q", err, want)
	}
	if got, _ := c.ConfigGet(ctx, "tls-cert-file").Result(); got["tls-cert-file"] != f.Cert {
		t.Fatalf("after a failed set, tls-cert-file = %q, want %q", got["tls-cert-file"], f.Cert)
	}
	cert, key := f.CAObj.WritePair(t, dir, "renewed")
	if err := c.Do(ctx, "CONFIG", "SET", "tls-cert-file", cert, "tls-key-file", key).Err(); err != nil {
		t.Fatalf("CONFIG SET of a renewed certificate: %v", err)
	}
	if after := serial(n.tls); after == before {
		t.Fatalf("a new connection still gets the old certificate (serial %s)", before)
	}
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("a connection open before the reload: %v", err)
	}
	anon := tlsClientConfig(t, f.CA, "", "")
	if tlsPing(n, anon) == nil {
		t.Fatal("a client without a certificate got in with tls-auth-clients yes")
	}
	if err := c.ConfigSet(ctx, "tls-auth-clients", "no").Err(); err != nil {
		t.Fatalf("CONFIG SET tls-auth-clients no: %v", err)
	}
	if err := tlsPing(n, anon); err != nil {
		t.Fatalf("tls-auth-clients no: a client without a certificate: %v", err)
	}
	err = c.ConfigSet(ctx, "tls-auth-clients", "maybe").Err()
	if want := "ERR CONFIG SET failed (possibly related to argument 'tls-auth-clients') - argument(s) must be one of the following: no, yes, optional"; err == nil || err.Error() != want {
		t.Fatalf("CONFIG SET tls-auth-clients maybe = %v, want %q", err, want)
	}
}

// TestTLSBadFiles: a node given unusable TLS files does not start, and
// says which file and why.
func TestTLSBadFiles(t *testing.T) {
	dir := t.TempDir()
	f := tlstest.Write(t, dir)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing key", []string{"--tls-cert-file", f.Cert, "--tls-key-file", dir + "/nope.key", "--tls-ca-cert-file", f.CA}, "tls-key-file"},
		{"key of another certificate", []string{"--tls-cert-file", f.Cert, "--tls-key-file", f.ClientKey, "--tls-ca-cert-file", f.CA}, "does not match"},
		{"no CA", []string{"--tls-cert-file", f.Cert, "--tls-key-file", f.Key}, "tls-ca-cert-file or tls-ca-cert-dir"},
		{"port without certificate", nil, "-tls-cert-file and -tls-key-file must be given"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ports := freePorts(t, 1)
			args := append([]string{"--port", "0", "--tls-port", strconv.Itoa(ports[0]), "--dir", t.TempDir()}, tc.args...)
			out, err := exec.Command(binPath, args...).CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || !strings.Contains(string(out), tc.want) {
				t.Fatalf("geetcache %v: %v, output %q; want a failure naming %q", tc.args, err, out, tc.want)
			}
		})
	}
}

// nonLoopbackIP is an address of this machine that is not loopback, or
// nil if it has none.
func nonLoopbackIP() net.IP {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil && !ipn.IP.IsLoopback() && !ipn.IP.IsLinkLocalUnicast() {
			return ipn.IP
		}
	}
	return nil
}

// redisProtectedMode is redis-server 7.0.15's reply to a connection from
// another host in protected mode, as it sent it on this machine
// (docs/compatibility.md, "Protected mode").
const redisProtectedMode = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"

// TestProtectedMode: a node bound beyond loopback, without a password,
// refuses a client from a non-loopback address with Redis's exact DENIED
// reply and counts it in rejected_connections; loopback clients are
// served; protected-mode no, or a password, lets the other client in.
func TestProtectedMode(t *testing.T) {
	ip := nonLoopbackIP()
	if ip == nil {
		t.Skip("this machine has no non-loopback address to connect from; server's TestProtectedRefusal covers the rule")
	}
	n := startNode(t, "--bind", "127.0.0.1 "+ip.String())
	outside := net.JoinHostPort(ip.String(), strconv.Itoa(n.port))
	dialOutside := func() net.Conn {
		d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: ip}}
		conn, err := d.Dial("tcp", outside)
		if err != nil {
			t.Fatalf("dial %s from %s: %v", outside, ip, err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	got, err := readUntilClosed(dialOutside(), 10*time.Second)
	if err != nil || string(got) != redisProtectedMode {
		t.Fatalf("a client from %s read %q, %v; want Redis's DENIED reply then the close", ip, got, err)
	}
	c := n.Client()
	if info, _ := c.Info(ctx, "stats").Result(); !strings.Contains(info, "rejected_connections:1\r\n") {
		t.Fatalf("INFO stats after one refusal: %q", info)
	}
	pingOutside := func() string {
		conn := dialOutside()
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		conn.Write([]byte("PING\r\n"))
		buf := make([]byte, 64)
		k, _ := conn.Read(buf)
		return string(buf[:k])
	}
	if err := c.ConfigSet(ctx, "protected-mode", "no").Err(); err != nil {
		t.Fatal(err)
	}
	if got := pingOutside(); got != "+PONG\r\n" {
		t.Fatalf("protected-mode no: PING from %s = %q", ip, got)
	}
	if err := c.ConfigSet(ctx, "protected-mode", "yes").Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.ConfigSet(ctx, "requirepass", "pw").Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, func() error {
		if got := pingOutside(); !strings.HasPrefix(got, "-NOAUTH") {
			return errors.New("PING from outside with a password = " + strconv.Quote(got))
		}
		return nil
	})
}

// TestProtectedModeTLS: protected mode refuses a TLS client from another
// host too, with the same reply over TLS once the handshake is done (a
// valid client certificate is no password).
func TestProtectedModeTLS(t *testing.T) {
	ip := nonLoopbackIP()
	if ip == nil {
		t.Skip("this machine has no non-loopback address to connect from; server's TestProtectedRefusal covers the rule")
	}
	f := tlstest.Write(t, t.TempDir())
	n := startTLSNode(t, f, true, "--bind", "127.0.0.1 "+ip.String())
	d := &net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: ip}}
	conn, err := tls.DialWithDialer(d, "tcp", net.JoinHostPort(ip.String(), strconv.Itoa(n.port)), n.tls)
	if err != nil {
		t.Fatalf("TLS dial from %s: %v", ip, err)
	}
	defer conn.Close()
	got, err := readUntilClosed(conn, 10*time.Second)
	if string(got) != redisProtectedMode {
		t.Fatalf("a TLS client from %s read %q, %v; want Redis's DENIED reply", ip, got, err)
	}
	if err := n.Client().Ping(ctx).Err(); err != nil {
		t.Fatalf("a loopback TLS client: %v", err)
	}
}

// TestProtectedModeClusterLinks: with -tls-cluster yes and protected mode
// on without a password, the nodes' links to each other's TLS port come
// from a non-loopback address (each node advertises it) and are not
// refused, their certificate being the cluster's, so a write and a read
// through a follower work; a plain client from that address still gets
// the DENIED reply. Without the exemption (server/tls_conn.go tlsRefusal)
// the write through the follower failed: UNCERTAIN, the link refused.
func TestProtectedModeClusterLinks(t *testing.T) {
	ip := nonLoopbackIP()
	if ip == nil {
		t.Skip("this machine has no non-loopback address to connect from")
	}
	f := makeTLSClusterFiles(t)
	tlsPorts := freePorts(t, 3)
	nodes := startClusterWith(t, func(i int, n *node) {
		n.args = append(n.args, tlsNodeArgs(tlsPorts[i], f.nodes[i][0], f.nodes[i][1], f.CA)...)
		n.args = append(n.args, "--bind", ip.String()+" 127.0.0.1", "--advertise", net.JoinHostPort(ip.String(), strconv.Itoa(tlsPorts[i])))
	})
	leader := waitForLeader(t, nodes, 10*time.Second)
	fc := others(nodes, leader)[0].Client(noRetries)
	waitFor(t, 10*time.Second, func() error { return fc.Set(ctx, "k", "v", 0).Err() })
	if got, err := fc.Get(ctx, "k").Result(); err != nil || got != "v" {
		t.Fatalf("GET through a follower: %q, %v", got, err)
	}
	if got, _ := fc.ConfigGet(ctx, "protected-mode").Result(); got["protected-mode"] != "yes" {
		t.Fatalf("protected-mode = %q, want yes", got["protected-mode"])
	}
	// A plain client from the same address is still refused.
	d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: ip}}
	conn, err := d.Dial("tcp", net.JoinHostPort(ip.String(), strconv.Itoa(leader.port)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if got, err := readUntilClosed(conn, 10*time.Second); string(got) != redisProtectedMode {
		t.Fatalf("a plain client from %s read %q, %v; want the DENIED reply", ip, got, err)
	}
}
