package tlsconf

import (
	"crypto/tls"
	"net"
	"testing"
	"time"

	"github.com/geetcache/geetcache/tlsconf/tlstest"
)

// handshakeWith runs a handshake between a server with sc and a client
// presenting certFile/keyFile (none when empty), and returns the server's
// view of the connection.
func handshakeWith(t *testing.T, sc *tls.Config, certFile, keyFile string) tls.ConnectionState {
	t.Helper()
	cc := &tls.Config{InsecureSkipVerify: true}
	if certFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			t.Fatal(err)
		}
		cc.Certificates = []tls.Certificate{cert}
	}
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	a.SetDeadline(time.Now().Add(5 * time.Second))
	b.SetDeadline(time.Now().Add(5 * time.Second))
	done := make(chan error, 1)
	go func() { done <- tls.Client(b, cc).Handshake() }()
	srv := tls.Server(a, sc)
	if err := srv.Handshake(); err != nil {
		t.Fatalf("server handshake: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("client handshake: %v", err)
	}
	return srv.ConnectionState()
}

// TestServerConfigAskingAndVerifyPeer: with tls-auth-clients no, the
// asking configuration still receives a node's certificate, and VerifyPeer
// tells a node (the cluster's CA) from a rogue (another CA) and from a
// client without a certificate, who still connects.
func TestServerConfigAskingAndVerifyPeer(t *testing.T) {
	f := tlstest.Write(t, t.TempDir())
	st, err := New(Settings{CertFile: f.Cert, KeyFile: f.Key, CACertFile: f.CA, AuthClients: AuthNo})
	if err != nil {
		t.Fatal(err)
	}
	if cs := handshakeWith(t, st.ServerConfig(), f.Cert, f.Key); len(cs.PeerCertificates) != 0 {
		t.Fatal("ServerConfig with tls-auth-clients no received a certificate: it asks for none")
	}
	for _, tc := range []struct {
		name, cert, key string
		member          bool
	}{
		{"node", f.Cert, f.Key, true},
		{"rogue", f.RogueCert, f.RogueKey, false},
		{"no certificate", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := st.VerifyPeer(handshakeWith(t, st.ServerConfigAsking(), tc.cert, tc.key))
			if (err == nil) != tc.member {
				t.Fatalf("VerifyPeer: %v, want member %v", err, tc.member)
			}
		})
	}
}
