package server

// settings holds the parameters CONFIG GET reports and CONFIG SET changes.
type settings struct {
	dir string
}

func newSettings(cfg Config) *settings { return &settings{dir: cfg.Dir} }
