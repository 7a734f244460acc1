package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/geetcache/geetcache/tlsconf"
)

// The TLS and protected-mode flags, under Redis's names. TLS for clients
// is on when -tls-port is given; -port 0 with it means TLS only.

func addTLSFlags(fs *flag.FlagSet, c *config) {
	fs.IntVar(&c.tlsPort, "tls-port", 0, "TCP port for RESP clients over TLS, on the -bind addresses (0: none); with -port 0, the only client port, as Redis's tls-port")
	fs.StringVar(&c.tls.CertFile, "tls-cert-file", "", "PEM certificate (chain) of this node, for its TLS port (and its links to other nodes)")
	fs.StringVar(&c.tls.KeyFile, "tls-key-file", "", "PEM private key of -tls-cert-file (unencrypted; prefer a file only the node's user can read)")
	fs.StringVar(&c.tls.CACertFile, "tls-ca-cert-file", "", "PEM CA certificate(s) that sign the clients' certificates (and the other nodes')")
	fs.StringVar(&c.tls.CACertDir, "tls-ca-cert-dir", "", "directory of PEM CA certificates, instead of or beside -tls-ca-cert-file")
	fs.StringVar(&c.tls.AuthClients, "tls-auth-clients", tlsconf.AuthYes, "client certificates on the TLS port: yes (required), optional (checked when given) or no (not asked for)")
	fs.StringVar(&c.tls.Protocols, "tls-protocols", "", `TLS versions allowed, e.g. "TLSv1.2 TLSv1.3" (the default)`)
	fs.StringVar(&c.tls.Ciphers, "tls-ciphers", "", "TLS 1.2 cipher suites, ':'-separated OpenSSL or IANA names (default: Go's secure list)")
	fs.StringVar(&c.tls.Ciphersuites, "tls-ciphersuites", "", "TLS 1.3 suites (checked only: Go always enables its three)")
	fs.StringVar(&c.protectedMode, "protected-mode", "yes", "yes: while the default user has no password, refuse clients not on the loopback interface with Redis's DENIED error (CONFIG SET protected-mode changes it)")
}

// validateTLS checks the TLS flags (the files are read by loadTLS).
func (c *config) validateTLS() error {
	if c.tlsPort < 0 || c.tlsPort > 65535 {
		return fmt.Errorf("invalid value %d for -tls-port: must be from 0 to 65535", c.tlsPort)
	}
	switch strings.ToLower(c.protectedMode) {
	case "yes", "true", "no", "false":
	default:
		return fmt.Errorf("invalid value %q for -protected-mode: must be yes or no", c.protectedMode)
	}
	if c.tlsPort != 0 && !c.tls.Enabled() {
		return fmt.Errorf("invalid value %d for -tls-port: -tls-cert-file and -tls-key-file must be given", c.tlsPort)
	}
	if err := c.tls.Check(); err != nil {
		return fmt.Errorf("invalid TLS configuration: %w", err)
	}
	if c.tlsReplication() && (!c.tls.Enabled() || !c.tls.HasCA()) { // Redis will not start so either
		return fmt.Errorf("invalid value \"yes\" for tls-replication: -tls-cert-file, -tls-key-file and -tls-ca-cert-file (or -tls-ca-cert-dir) must be given")
	}
	return nil
}

// tlsReplication reports whether the last tls-replication the settings
// give (a configuration file's, then the command line's) is yes.
func (c *config) tlsReplication() bool {
	on := false
	for _, p := range c.settings {
		if strings.EqualFold(p[0], "tls-replication") {
			on = strings.EqualFold(p[1], "yes")
		}
	}
	return on
}

// protected reports whether protected mode is on.
func (c *config) protected() bool {
	v := strings.ToLower(c.protectedMode)
	return v != "no" && v != "false"
}

// loadTLS reads the TLS files: nil when no certificate is configured.
func (c *config) loadTLS() (*tlsconf.Store, error) {
	if !c.tls.Enabled() {
		return nil, nil
	}
	st, err := tlsconf.New(c.tls)
	if err != nil {
		return nil, fmt.Errorf("failed to load TLS configuration: %w", err)
	}
	return st, nil
}

// clientPort is the port the node's clients reach it at by default: the
// plain port, or the TLS port when there is only that or with -tls-cluster
// (as Redis announces it then; tls_cluster.go).
func (c *config) clientPort() int {
	if c.tlsPort != 0 && (c.port == 0 || c.tlsClusterOn()) {
		return c.tlsPort
	}
	return c.port
}
