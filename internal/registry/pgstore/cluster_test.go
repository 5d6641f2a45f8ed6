//go:build unix

package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// requireEnv makes a missing PostgreSQL a failure instead of a skip;
// .ci/run sets it, so the PostgreSQL tests can never be skipped in CI.
const requireEnv = "RELAY_REQUIRE_POSTGRES"

// cluster is the throwaway PostgreSQL server of this test binary: a fresh
// data directory in a temporary directory, listening on 127.0.0.1 only,
// with trust authentication for the superuser "relay".
type cluster struct {
	dir  string
	port int
	proc *exec.Cmd
	// done is closed when the postmaster has exited, with waitErr set.
	done    chan struct{}
	waitErr error
	dbs     atomic.Int64
}

// theCluster is nil when PostgreSQL is not installed; skipReason says why.
var (
	theCluster *cluster
	skipReason string
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if os.Getenv(helperEnv) != "" {
		return m.Run() // a helper process: the parent's cluster is in its environment
	}
	bin, err := findPostgres()
	if err != nil {
		if os.Getenv(requireEnv) == "1" {
			fmt.Fprintf(os.Stderr, "pgstore: %v, and %s=1 says the PostgreSQL tests must run\n", err, requireEnv)
			return 1
		}
		skipReason = fmt.Sprintf("PostgreSQL tests skipped: %v (install the postgresql package, or set %s=1 to make this a failure)", err, requireEnv)
		return m.Run()
	}
	// The postmaster gets a parent-death signal, which Linux ties to the
	// thread that started it: keep this goroutine on its thread until the
	// end, so the server dies with the tests even if they are killed.
	runtime.LockOSThread()
	c, err := startCluster(bin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgstore: cannot start a throwaway PostgreSQL cluster: %v\n", err)
		return 1
	}
	defer c.stop()
	theCluster = c
	return m.Run()
}

// needCluster skips (or, under RELAY_REQUIRE_POSTGRES=1, never gets here
// because TestMain failed) when there is no PostgreSQL.
func needCluster(t *testing.T) *cluster {
	t.Helper()
	if theCluster == nil {
		t.Skip(skipReason)
	}
	return theCluster
}

// findPostgres returns the directory holding initdb and postgres: from
// PATH, else Debian's /usr/lib/postgresql/<newest>/bin.
func findPostgres() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if resolved, err := filepath.EvalSymlinks(p); err == nil {
			p = resolved
		}
		if dir := filepath.Dir(p); isFile(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return majorOf(b) - majorOf(a) })
	for _, dir := range dirs {
		if isFile(filepath.Join(dir, "initdb")) && isFile(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", errors.New("initdb and postgres are neither on PATH nor in /usr/lib/postgresql/*/bin")
}

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isFile(p string) bool {
	info, err := os.Stat(p)
	return err == nil && !info.IsDir()
}

// startCluster runs initdb in a new temporary directory and starts the
// server on a free loopback port. initdb and postgres refuse to run as
// root, so as root they run as the postgres user in a directory it owns.
func startCluster(bin string) (*cluster, error) {
	dir, err := os.MkdirTemp("", "relay-pgstore-")
	if err != nil {
		return nil, err
	}
	attr, err := runAs(dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "relay", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
	initdb.Dir, initdb.SysProcAttr = dir, attr()
	if out, err := initdb.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w: %s", err, tail(out))
	}
	for try := 1; ; try++ {
		c, err := launch(bin, dir, attr)
		if err == nil || try == 3 {
			if err != nil {
				_ = os.RemoveAll(dir)
			}
			return c, err
		}
	}
}

// launch starts the postmaster on a port that was free a moment ago, and
// waits until it accepts connections.
func launch(bin, dir string, attr func() *syscall.SysProcAttr) (*cluster, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logName := filepath.Join(dir, "postgres.log")
	logFile, err := os.Create(logName)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	// fsync and friends are off: the cluster is thrown away after the run.
	proc := exec.Command(filepath.Join(bin, "postgres"), "-D", filepath.Join(dir, "data"),
		"-c", "listen_addresses=127.0.0.1", "-c", "port="+strconv.Itoa(port),
		"-c", "unix_socket_directories="+dir, "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200")
	proc.Dir, proc.Stdout, proc.Stderr = dir, logFile, logFile
	proc.SysProcAttr = attr()
	dieWithParent(proc.SysProcAttr)
	if err := proc.Start(); err != nil {
		return nil, err
	}
	c := &cluster{dir: dir, port: port, proc: proc, done: make(chan struct{})}
	go func() {
		c.waitErr = proc.Wait()
		close(c.done)
	}()
	if err := c.waitReady(); err != nil {
		c.kill()
		log, _ := os.ReadFile(logName)
		return nil, fmt.Errorf("%w: %s", err, tail(log))
	}
	return c, nil
}

func (c *cluster) waitReady() error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case <-c.done:
			return fmt.Errorf("postgres exited at start: %w", c.waitErr)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, c.url("postgres"))
		cancel()
		if err == nil {
			return conn.Close(context.Background())
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within a minute: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop shuts the server down at once and removes its directory.
func (c *cluster) stop() {
	c.kill()
	_ = os.RemoveAll(c.dir)
}

// kill sends SIGQUIT, PostgreSQL's immediate shutdown (what pg_ctl stop -m
// immediate sends), and waits for the postmaster to exit; SIGKILL after
// ten seconds.
func (c *cluster) kill() {
	_ = c.proc.Process.Signal(syscall.SIGQUIT)
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		_ = c.proc.Process.Kill()
		<-c.done
	}
}

// url is the superuser's URL for a database of the cluster.
func (c *cluster) url(database string) string {
	return fmt.Sprintf("postgres://relay@127.0.0.1:%d/%s?sslmode=disable", c.port, database)
}

// newDatabase creates an empty database for one test and returns its URL.
func (c *cluster) newDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("relay_test_%d", c.dbs.Add(1))
	conn, err := pgx.Connect(t.Context(), c.url("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(t.Context(), "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return c.url(name)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// runAs prepares dir for the user the server runs as and returns the
// process attributes that run a command as that user: the current user,
// or the postgres user when running as root.
func runAs(dir string) (func() *syscall.SysProcAttr, error) {
	if os.Geteuid() != 0 {
		return func() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, but there is no postgres user to run the server as: %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, err
	}
	if err := os.Chown(dir, int(uid), int(gid)); err != nil {
		return nil, err
	}
	return func() *syscall.SysProcAttr {
		return &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}}
	}, nil
}

// tail keeps the end of a log for an error message.
func tail(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return s
}
