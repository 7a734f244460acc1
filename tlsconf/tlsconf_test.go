package tlsconf

import (
	"crypto/tls"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/geetcache/geetcache/tlsconf/tlstest"
)

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	f := tlstest.Write(t, dir)
	garbage := tlstest.WriteFile(t, dir, "garbage", []byte("not pem\n"))
	empty := t.TempDir()
	ok := Settings{CertFile: f.Cert, KeyFile: f.Key, CACertFile: f.CA}
	with := func(change func(*Settings)) Settings { s := ok; change(&s); return s }
	cases := []struct {
		name string
		s    Settings
		want string // "" for success
	}{
		{"ok", ok, ""},
		{"ca dir", with(func(s *Settings) { s.CACertFile, s.CACertDir = "", dir }), ""},
		{"no auth without ca", with(func(s *Settings) { s.CACertFile, s.AuthClients = "", "no" }), ""},
		{"missing cert", with(func(s *Settings) { s.CertFile = filepath.Join(dir, "nope") }), "tls-cert-file"},
		{"cert not pem", with(func(s *Settings) { s.CertFile = garbage }), "no PEM certificate"},
		{"missing key", with(func(s *Settings) { s.KeyFile = filepath.Join(dir, "nope") }), "tls-key-file"},
		{"key of another cert", with(func(s *Settings) { s.KeyFile = f.ClientKey }), "does not match"},
		{"no key", with(func(s *Settings) { s.KeyFile = "" }), "no tls-key-file configured"},
		{"no cert", with(func(s *Settings) { s.CertFile = "" }), "no tls-cert-file configured"},
		{"ca missing", with(func(s *Settings) { s.CACertFile = filepath.Join(dir, "nope") }), "tls-ca-cert-file"},
		{"ca not pem", with(func(s *Settings) { s.CACertFile = garbage }), "no PEM certificate"},
		{"ca dir empty", with(func(s *Settings) { s.CACertFile, s.CACertDir = "", empty }), "tls-ca-cert-dir"},
		{"auth without ca", with(func(s *Settings) { s.CACertFile = "" }), "tls-ca-cert-file or tls-ca-cert-dir"},
		{"bad auth", with(func(s *Settings) { s.AuthClients = "maybe" }), "tls-auth-clients"},
		{"bad protocol", with(func(s *Settings) { s.Protocols = "SSLv3" }), "tls-protocols"},
		{"protocol gap", with(func(s *Settings) { s.Protocols = "TLSv1.1 TLSv1.3" }), "gap"},
		{"bad cipher", with(func(s *Settings) { s.Ciphers = "HIGH" }), "tls-ciphers"},
		{"openssl cipher", with(func(s *Settings) { s.Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" }), ""},
		{"bad suite", with(func(s *Settings) { s.Ciphersuites = "TLS_NULL" }), "tls-ciphersuites"},
		{"good suite", with(func(s *Settings) { s.Ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256" }), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.s)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Load: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("Load error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestVersions(t *testing.T) {
	cases := []struct {
		in     string
		lo, hi uint16
	}{
		{"", tls.VersionTLS12, tls.VersionTLS13},
		{"TLSv1.2", tls.VersionTLS12, tls.VersionTLS12},
		{"tlsv1.3", tls.VersionTLS13, tls.VersionTLS13},
		{"TLSv1 TLSv1.1 TLSv1.2", tls.VersionTLS10, tls.VersionTLS12},
	}
	for _, tc := range cases {
		lo, hi, err := Settings{Protocols: tc.in}.versions()
		if err != nil || lo != tc.lo || hi != tc.hi {
			t.Errorf("versions(%q) = %x %x %v, want %x %x", tc.in, lo, hi, err, tc.lo, tc.hi)
		}
	}
}

// handshake runs one TLS handshake between a server and a client config
// over a pipe-like loopback connection and returns each side's error.
func handshake(t *testing.T, server, client *tls.Config) (serverErr, clientErr error) {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", server)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		err = c.(*tls.Conn).Handshake()
		if err == nil {
			_, err = io.WriteString(c, "x")
		}
		done <- err
	}()
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", ln.Addr().String(), client)
	if err == nil {
		// TLS 1.3 reports a refused client certificate on the first read.
		c.SetDeadline(time.Now().Add(5 * time.Second))
		_, err = c.Read(make([]byte, 1))
		c.Close()
	}
	return <-done, err
}

func TestHandshakes(t *testing.T) {
	f := tlstest.Write(t, t.TempDir())
	st, err := New(Settings{CertFile: f.Cert, KeyFile: f.Key, CACertFile: f.CA})
	if err != nil {
		t.Fatal(err)
	}
	client := func(cert, key string) *tls.Config {
		m, err := Load(Settings{CertFile: cert, KeyFile: key, CACertFile: f.CA})
		if err != nil {
			t.Fatal(err)
		}
		c, _ := m.PeerClientConfig("")
		return c
	}
	noCert := client(f.ClientCert, f.ClientKey)
	noCert.Certificates = nil
	rogueClient := func() *tls.Config {
		m, err := Load(Settings{CertFile: f.RogueCert, KeyFile: f.RogueKey, CACertFile: f.RogueCA})
		if err != nil {
			t.Fatal(err)
		}
		c, _ := m.PeerClientConfig("")
		return c
	}
	peerServer, err := st.PeerServerConfig()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		server *tls.Config
		client *tls.Config
		ok     bool
	}{
		{"clients port, client cert", st.ServerConfig(), client(f.ClientCert, f.ClientKey), true},
		{"clients port, no cert", st.ServerConfig(), noCert, false},
		{"clients port, cert of another CA", st.ServerConfig(), withRoots(rogueClient(), f), false},
		{"peer, node cert", peerServer, client(f.Cert, f.Key), true},
		{"peer, no cert", peerServer, noCert, false},
		{"peer, rogue cert", peerServer, withRoots(rogueClient(), f), false},
		{"peer dialing a rogue server", rogueServer(t, f), client(f.Cert, f.Key), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			serr, cerr := handshake(t, tc.server, tc.client)
			if ok := serr == nil && cerr == nil; ok != tc.ok {
				t.Fatalf("handshake ok = %v (server: %v, client: %v), want %v", ok, serr, cerr, tc.ok)
			}
		})
	}
}

// withRoots makes a rogue client trust the real CA, so only its own
// certificate is wrong.
func withRoots(c *tls.Config, f tlstest.Files) *tls.Config {
	c.InsecureSkipVerify, c.VerifyPeerCertificate = true, nil
	return c
}

func rogueServer(t *testing.T, f tlstest.Files) *tls.Config {
	m, err := Load(Settings{CertFile: f.RogueCert, KeyFile: f.RogueKey, CACertFile: f.CA})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := m.PeerServerConfig()
	return c
}

func TestAuthClientsNoAndOptional(t *testing.T) {
	f := tlstest.Write(t, t.TempDir())
	m, _ := Load(Settings{CertFile: f.Cert, KeyFile: f.Key, CACertFile: f.CA})
	anon, _ := m.PeerClientConfig("")
	anon.Certificates = nil
	for _, mode := range []string{"no", "optional"} {
		st, err := New(Settings{CertFile: f.Cert, KeyFile: f.Key, CACertFile: f.CA, AuthClients: mode})
		if err != nil {
			t.Fatal(err)
		}
		if serr, cerr := handshake(t, st.ServerConfig(), anon); serr != nil || cerr != nil {
			t.Errorf("tls-auth-clients %s: a client without a certificate was refused: %v / %v", mode, serr, cerr)
		}
	}
}

func TestReload(t *testing.T) {
	dir := t.TempDir()
	f := tlstest.Write(t, dir)
	st, err := New(Settings{CertFile: f.Cert, KeyFile: f.Key, CACertFile: f.CA})
	if err != nil {
		t.Fatal(err)
	}
	before := st.Current().Leaf().SerialNumber
	if err := st.Reload(Settings{CertFile: f.Cert, KeyFile: filepath.Join(dir, "nope"), CACertFile: f.CA}); err == nil {
		t.Fatal("a reload with a missing key succeeded")
	}
	if st.Current().Leaf().SerialNumber.Cmp(before) != 0 {
		t.Fatal("a failed reload replaced the material")
	}
	c, k := f.CAObj.Issue(t, "node")
	os.WriteFile(f.Cert, c, 0o600)
	os.WriteFile(f.Key, k, 0o600)
	if err := st.Reload(st.Settings()); err != nil {
		t.Fatal(err)
	}
	if st.Current().Leaf().SerialNumber.Cmp(before) == 0 {
		t.Fatal("the reload kept the old certificate")
	}
}
