package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"syscall"
)

// Redis's process directives, honoured as Redis honours them: logfile
// (lines appended to a file instead of standard error), pidfile (the
// process ID written at start, removed at exit) and supervised (tell
// systemd or upstart when the node is ready).

// supervisedModes are supervised's values.
var supervisedModes = map[string]bool{"no": true, "upstart": true, "systemd": true, "auto": true}

// logWriter is where the lines go: the -logfile, opened for appending
// (created if missing), or w when none.
func (c *config) logWriter(w io.Writer) (io.Writer, func(), error) {
	if c.logFile == "" {
		return w, func() {}, nil
	}
	f, err := os.OpenFile(c.logFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("can't open the log file: %w", err)
	}
	return f, func() { f.Close() }, nil
}

// writePidFile writes the process ID to -pidfile, as Redis does: a
// failure is logged, not fatal. The returned function removes it.
func (c *config) writePidFile(log *slog.Logger) func() {
	if c.pidFile == "" {
		return func() {}
	}
	if err := os.WriteFile(c.pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Warn("failed to write PID file", "file", c.pidFile, "err", err)
		return func() {}
	}
	return func() { os.Remove(c.pidFile) }
}

// supervisor is who to tell the node is ready: "systemd", "upstart" or "",
// as Redis's redisIsSupervised decides: auto finds one from the
// environment; one asked for whose variable is missing is not there (a
// warning, and nobody is told: upstart's SIGSTOP would stop the process
// for good).
func (c *config) supervisor(env func(string) string, log *slog.Logger) string {
	mode := c.supervised
	if mode == "auto" {
		switch {
		case env("UPSTART_JOB") != "":
			mode = "upstart"
		case env("NOTIFY_SOCKET") != "":
			mode = "systemd"
		}
	}
	switch {
	case mode == "upstart" && env("UPSTART_JOB") == "":
		log.Warn("upstart supervision requested, but UPSTART_JOB not found!")
	case mode == "systemd" && env("NOTIFY_SOCKET") == "":
		log.Warn("systemd supervision error: NOTIFY_SOCKET not found!")
	case mode == "upstart" || mode == "systemd":
		return mode
	}
	return ""
}

// notifyReady tells the supervisor the node accepts connections: systemd
// gets READY=1 on $NOTIFY_SOCKET, upstart a SIGSTOP, as from Redis.
func notifyReady(who string, log *slog.Logger) {
	switch who {
	case "systemd":
		sdNotify("STATUS=Ready to accept connections\nREADY=1\n", log)
	case "upstart":
		syscall.Kill(os.Getpid(), syscall.SIGSTOP)
	}
}

// notifyStopping tells systemd the node is stopping.
func notifyStopping(who string, log *slog.Logger) {
	if who == "systemd" {
		sdNotify("STOPPING=1\n", log)
	}
}

// sdNotify sends state to systemd's notification socket ($NOTIFY_SOCKET;
// a leading '@' names an abstract socket).
func sdNotify(state string, log *slog.Logger) {
	path := os.Getenv("NOTIFY_SOCKET") // set: supervisor checked
	if path[0] == '@' {
		path = "\x00" + path[1:]
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		log.Warn("can't notify systemd", "err", err)
		return
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(state)); err != nil {
		log.Warn("can't notify systemd", "err", err)
	}
}

// startSettings are the values CONFIG GET shows for the directives
// handled here.
func (c *config) startSettings() map[string]string {
	return map[string]string{"logfile": c.logFile, "pidfile": c.pidFile, "supervised": c.supervised,
		"enable-debug-command": c.enableDebug}
}
