package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/geetcache/geetcache/datatypes/rdb"
)

// importUsage is the import subcommand's help.
const importUsage = `Usage: geetcache import [flags] FILE

Loads an RDB file written by Redis (RDB version 1 to 10: Redis 7.0 and
earlier) into a running geetcache (or Redis) through its client port: each
key becomes RESTORE key expire-ms payload ABSTTL, each function library
FUNCTION RESTORE, so every write goes through the log like any client's.
Keys already expired in the file are not created. The file is checked whole
as it is read (CRC-64, every value decoded) before anything is sent.

Flags:
`

// runImport runs "geetcache import" and returns the exit code.
func runImport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("geetcache import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:6379", "host:port of the server's client port")
	user := fs.String("user", "", "ACL user to AUTH as (with -password)")
	password := fs.String("password", "", "password to AUTH with (default none)")
	replace := fs.Bool("replace", false, "replace keys and libraries that exist (RESTORE ... REPLACE, FUNCTION RESTORE ... REPLACE)")
	fs.Usage = func() { fmt.Fprint(stderr, importUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "geetcache import: %v\n", err)
		return 1
	}
	var cmds [][][]byte
	db := uint64(0)
	now := time.Now().UnixMilli()
	if err := rdb.ReadFile(data, func(r rdb.FileRecord) error {
		if expiredIn(r, now) {
			return nil
		}
		if r.Key != nil && r.DB != db {
			cmds = append(cmds, [][]byte{[]byte("SELECT"), []byte(strconv.FormatUint(r.DB, 10))})
			db = r.DB
		}
		cmds = append(cmds, importCommand(r, *replace))
		return nil
	}); err != nil {
		fmt.Fprintf(stderr, "geetcache import: failed to read %s: %v\n", fs.Arg(0), err)
		return 1
	}
	return sendImport(*addr, *user, *password, cmds, stdout, stderr)
}

// expiredIn reports whether r is a key whose expiry, in the file, is at
// or before now (unix ms): it is not sent at all, as Redis skips such keys
// when it loads an RDB file. (RESTORE with a past ABSTTL would delete the
// key, and with -replace that deletes a live key of the same name.)
func expiredIn(r rdb.FileRecord, now int64) bool {
	return r.Key != nil && r.ExpireAt > 0 && r.ExpireAt <= now
}

// importCommand is the command that loads one record: RESTORE, or
// FUNCTION RESTORE for a library.
func importCommand(r rdb.FileRecord, replace bool) [][]byte {
	b := func(s string) []byte { return []byte(s) }
	cmd := [][]byte{b("RESTORE"), r.Key, b(strconv.FormatInt(r.ExpireAt, 10)), r.Payload, b("ABSTTL")}
	if r.Key == nil {
		cmd = [][]byte{b("FUNCTION"), b("RESTORE"), r.Payload}
	}
	if replace {
		cmd = append(cmd, b("REPLACE"))
	}
	return cmd
}

// sendImport pipelines cmds to addr in batches and reports what failed.
func sendImport(addr, user, password string, cmds [][][]byte, stdout, stderr io.Writer) int {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		fmt.Fprintf(stderr, "geetcache import: %v\n", err)
		return 1
	}
	defer conn.Close()
	w, r := bufio.NewWriter(conn), bufio.NewReader(conn)
	if password != "" {
		cmds = append([][][]byte{authCommand(user, password)}, cmds...)
	}
	failed := 0
	for start := 0; start < len(cmds); start += 512 {
		batch := cmds[start:min(start+512, len(cmds))]
		for _, c := range batch {
			writeCommand(w, c)
		}
		if err := w.Flush(); err != nil {
			fmt.Fprintf(stderr, "geetcache import: %v\n", err)
			return 1
		}
		for _, c := range batch {
			msg, err := readSimpleReply(r)
			if err != nil {
				fmt.Fprintf(stderr, "geetcache import: %v\n", err)
				return 1
			}
			if msg != "" {
				failed++
				if failed <= 10 {
					fmt.Fprintf(stderr, "geetcache import: %s %.64q: %s\n", c[0], c[1], msg)
				}
			}
		}
	}
	fmt.Fprintf(stdout, "%d commands sent, %d failed\n", len(cmds), failed)
	if failed > 0 {
		return 1
	}
	return 0
}

// authCommand is AUTH [user] password.
func authCommand(user, password string) [][]byte {
	if user != "" {
		return [][]byte{[]byte("AUTH"), []byte(user), []byte(password)}
	}
	return [][]byte{[]byte("AUTH"), []byte(password)}
}

func writeCommand(w *bufio.Writer, args [][]byte) {
	fmt.Fprintf(w, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(w, "$%d\r\n", len(a))
		w.Write(a)
		w.WriteString("\r\n")
	}
}

// readSimpleReply reads one reply and returns its error text, or "" for
// any other reply.
func readSimpleReply(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	if len(line) < 3 {
		return "", errors.New("malformed reply")
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '-':
		return body, nil
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil {
			return "", err
		}
		if n >= 0 {
			_, err = io.ReadFull(r, make([]byte, n+2))
		}
		return "", err
	}
	return "", nil
}
