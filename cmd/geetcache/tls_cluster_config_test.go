package main

import (
	"io"
	"strings"
	"testing"
)

// TestTLSClusterConfig: -tls-cluster yes needs the node's certificate, the
// cluster's CA and a TLS port, and moves the announced client address and
// the default Raft address to the TLS port (as Redis's tls-cluster does);
// no keeps them on the plain port. The files are read later, at start.
func TestTLSClusterConfig(t *testing.T) {
	files := []string{"--tls-cert-file", "n1.crt", "--tls-key-file", "n1.key", "--tls-ca-cert-file", "ca.crt"}
	with := func(args ...string) []string { return append(append([]string{"--port", "7001"}, files...), args...) }
	cases := []struct {
		name               string
		args               []string
		want               string // error text; "" for none
		raftAddr, announce string
	}{
		{"yes", with("--tls-port", "7101", "--tls-cluster", "yes"), "", "127.0.0.1:17101", "127.0.0.1:7101"},
		{"no", with("--tls-port", "7101", "--tls-cluster", "no"), "", "127.0.0.1:17001", "127.0.0.1:7001"},
		{"yes without tls-port", with("--tls-cluster", "yes"), "-tls-port must be given", "", ""},
		{"yes without a CA", []string{"--tls-port", "7101", "--tls-cert-file", "n1.crt", "--tls-key-file", "n1.key",
			"--tls-auth-clients", "no", "--tls-cluster", "yes"}, "-tls-ca-cert-file or -tls-ca-cert-dir must be given", "", ""},
		{"yes without a certificate", []string{"--tls-cluster", "yes"}, "-tls-cert-file and -tls-key-file must be given", "", ""},
		{"bad value", with("--tls-port", "7101", "--tls-cluster", "maybe"), `invalid value "maybe" for -tls-cluster`, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseConfig(tc.args, func(string) string { return "" }, io.Discard)
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err = %v, want one containing %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cc := cfg.cluster(nil); cc.RaftAddr != tc.raftAddr || cc.ClientAddr != tc.announce {
				t.Fatalf("raft-addr %q, announced %q; want %q, %q", cc.RaftAddr, cc.ClientAddr, tc.raftAddr, tc.announce)
			}
		})
	}
}
