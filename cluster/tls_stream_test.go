package cluster

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-msgpack/v2/codec"
	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/tlsconf/tlstest"
)

// testPeerTLS is a PeerTLS for a certificate of ca, trusting trust, made
// with crypto/tls directly (the product's come from tlsconf).
func testPeerTLS(t *testing.T, ca, trust *tlstest.CA, cn string) *PeerTLS {
	t.Helper()
	certPEM, keyPEM := ca.Issue(t, cn)
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(trust.Cert)
	server := &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	client := &tls.Config{RootCAs: pool, ServerName: "127.0.0.1",
		// Presented even when the server asks for another CA's (a rogue's
		// must reach the server's verification).
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert, nil }}
	return &PeerTLS{Server: server, Client: func() (*tls.Config, error) { return client, nil }}
}

// logLines is a slog handler's output, safe to read while written.
type logLines struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// tlsTransport starts a NetworkTransport over a tlsStream on a free port.
func tlsTransport(t *testing.T, peer *PeerTLS, logs io.Writer) *raft.NetworkTransport {
	t.Helper()
	stream, err := newTLSStream("127.0.0.1:0", peer, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	trans := raft.NewNetworkTransport(stream, 2, time.Second, io.Discard)
	t.Cleanup(func() { trans.Close() })
	return trans
}

// forgedAppend is an AppendEntries a rogue process would send: a higher
// term and one entry.
func forgedAppend() *raft.AppendEntriesRequest {
	return &raft.AppendEntriesRequest{RPCHeader: raft.RPCHeader{ProtocolVersion: raft.ProtocolVersionMax},
		Term: 99, Entries: []*raft.Log{{Index: 1, Term: 99, Type: raft.LogCommand, Data: []byte("forged")}}}
}

// serveOne answers the first RPC trans receives, and reports whether one
// came within wait.
func serveOne(trans *raft.NetworkTransport, wait time.Duration) <-chan bool {
	got := make(chan bool, 1)
	go func() {
		select {
		case rpc := <-trans.Consumer():
			rpc.Respond(&raft.AppendEntriesResponse{Term: 99, Success: true}, nil)
			got <- true
		case <-time.After(wait):
			got <- false
		}
	}()
	return got
}

// TestTLSStreamMembers: two members with certificates of the cluster's CA
// exchange an AppendEntries over mutual TLS.
func TestTLSStreamMembers(t *testing.T) {
	ca := tlstest.NewCA(t, "cluster CA")
	leader := tlsTransport(t, testPeerTLS(t, ca, ca, "n1"), io.Discard)
	follower := tlsTransport(t, testPeerTLS(t, ca, ca, "n2"), io.Discard)
	got := serveOne(follower, 5*time.Second)
	var resp raft.AppendEntriesResponse
	if err := leader.AppendEntries("n2", follower.LocalAddr(), forgedAppend(), &resp); err != nil || !resp.Success {
		t.Fatalf("AppendEntries between members: %v, %+v", err, resp)
	}
	if !<-got {
		t.Fatal("the follower received no RPC")
	}
}

// TestTLSStreamRefusesOutsiders: a caller with a certificate of another CA,
// with none, or speaking plain TCP gets no RPC to Raft: the handshake
// fails, Raft's consumer receives nothing, and the refusal is logged with
// the caller's address.
func TestTLSStreamRefusesOutsiders(t *testing.T) {
	ca, rogueCA := tlstest.NewCA(t, "cluster CA"), tlstest.NewCA(t, "rogue CA")
	noCert := testPeerTLS(t, ca, ca, "anonymous")
	noCert.Client = func() (*tls.Config, error) {
		return &tls.Config{RootCAs: noCert.Server.ClientCAs, ServerName: "127.0.0.1"}, nil
	}
	for _, tc := range []struct {
		name string
		send func(target raft.ServerAddress) error
	}{
		{"rogue CA, trusting ours", rpcFrom(t, testPeerTLS(t, rogueCA, ca, "evil"))},
		{"rogue CA, trusting its own", rpcFrom(t, testPeerTLS(t, rogueCA, rogueCA, "evil"))},
		{"no certificate", rpcFrom(t, noCert)},
		{"plain TCP", plainAppend},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := &logLines{}
			member := tlsTransport(t, testPeerTLS(t, ca, ca, "n1"), logs)
			got := serveOne(member, 300*time.Millisecond)
			err := tc.send(member.LocalAddr())
			if err == nil {
				t.Fatal("the RPC was answered")
			}
			t.Logf("%s: %v", tc.name, err)
			if <-got {
				t.Fatal("Raft received the RPC")
			}
			if !strings.Contains(logs.String(), "refused a Raft connection: TLS handshake failed") {
				t.Fatalf("no refusal logged: %q", logs.String())
			}
		})
	}
}

// rpcFrom sends a forged AppendEntries through a transport made with peer.
func rpcFrom(t *testing.T, peer *PeerTLS) func(raft.ServerAddress) error {
	return func(target raft.ServerAddress) error {
		trans := tlsTransport(t, peer, io.Discard)
		var resp raft.AppendEntriesResponse
		return trans.AppendEntries("n1", target, forgedAppend(), &resp)
	}
}

// plainAppend writes a forged AppendEntries in hashicorp/raft's framing
// (the RPC type byte, then msgpack) on a plain TCP connection and reads
// the answer.
func plainAppend(target raft.ServerAddress) error {
	nc, err := net.DialTimeout("tcp", string(target), time.Second)
	if err != nil {
		return err
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(2 * time.Second))
	w := bufio.NewWriter(nc)
	w.WriteByte(0) // rpcAppendEntries
	if err := codec.NewEncoder(w, &codec.MsgpackHandle{}).Encode(forgedAppend()); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	var rpcErr string
	var resp raft.AppendEntriesResponse
	dec := codec.NewDecoder(bufio.NewReader(nc), &codec.MsgpackHandle{})
	if err := dec.Decode(&rpcErr); err != nil {
		return err
	}
	if err := dec.Decode(&resp); err != nil {
		return err
	}
	return nil
}

// TestPlainTransportAnswersForgedAppend is the control for plainAppend:
// without tls-cluster, Raft's TCP transport hands the same forged frame
// to Raft and answers it (the attack of issue 13).
func TestPlainTransportAnswersForgedAppend(t *testing.T) {
	trans, err := raft.NewTCPTransport("127.0.0.1:0", nil, 2, time.Second, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer trans.Close()
	got := serveOne(trans, 5*time.Second)
	if err := plainAppend(trans.LocalAddr()); err != nil {
		t.Fatalf("plain transport: %v", err)
	}
	if !<-got {
		t.Fatal("Raft did not receive the forged RPC")
	}
}
