package tlsconf

import (
	"crypto/tls"
	"sync/atomic"
)

// Store holds the current Material; Reload swaps it. The configurations
// it returns read the current Material at each handshake, so a listener
// made once serves renewed certificates; safe for concurrent use.
type Store struct {
	cur atomic.Pointer[Material]
}

// New loads s into a new Store.
func New(s Settings) (*Store, error) {
	m, err := Load(s)
	if err != nil {
		return nil, err
	}
	st := &Store{}
	st.cur.Store(m)
	return st, nil
}

// Reload loads s and, only if that succeeds, makes it current: a failed
// reload leaves the previous material in place (as Redis does).
func (st *Store) Reload(s Settings) error {
	m, err := Load(s)
	if err != nil {
		return err
	}
	st.cur.Store(m)
	return nil
}

// Current is the material new handshakes use.
func (st *Store) Current() *Material { return st.cur.Load() }

// Settings are the current material's parameters.
func (st *Store) Settings() Settings { return st.cur.Load().settings }

// ServerConfig is Material.ServerConfig of the material current at each
// handshake: give it to tls.NewListener once.
func (st *Store) ServerConfig() *tls.Config {
	return &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		return st.cur.Load().ServerConfig(), nil
	}}
}

// PeerServerConfig is Material.PeerServerConfig of the material current
// at each handshake; it fails at once if no CA is configured.
func (st *Store) PeerServerConfig() (*tls.Config, error) {
	if _, err := st.cur.Load().PeerServerConfig(); err != nil {
		return nil, err
	}
	return &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		return st.cur.Load().PeerServerConfig()
	}}, nil
}

// PeerClientConfig is Material.PeerClientConfig of the current material:
// call it for each dial, so a reload reaches new links.
func (st *Store) PeerClientConfig(serverName string) (*tls.Config, error) {
	return st.cur.Load().PeerClientConfig(serverName)
}
