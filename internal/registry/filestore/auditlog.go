package filestore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/relay-dev/relay/internal/registry"
)

// auditLog is the committed part of audit.jsonl.
type auditLog struct {
	events []registry.Event
	// committed is the byte length of the complete lines; anything after it
	// is a partial line left by a crash during an append.
	committed int64
	size      int64
}

func (l *auditLog) last() *registry.Event {
	if len(l.events) == 0 {
		return nil
	}
	return &l.events[len(l.events)-1]
}

// readLog reads every complete line of the audit log (nil root or no file:
// an empty log). With verify, the hash chain is checked as it is read.
func readLog(root *os.Root, verify bool) (*auditLog, error) {
	if root == nil {
		return &auditLog{}, nil
	}
	data, err := root.ReadFile(auditFile)
	if errors.Is(err, fs.ErrNotExist) {
		return &auditLog{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the audit log: %w", err)
	}
	return parseLog(data, verify)
}

func parseLog(data []byte, verify bool) (*auditLog, error) {
	l := &auditLog{size: int64(len(data))}
	for line := 1; ; line++ {
		i := bytes.IndexByte(data[l.committed:], '\n')
		if i < 0 {
			return l, nil
		}
		e, err := parseEvent(data[l.committed:l.committed+int64(i)], line)
		if err != nil {
			return nil, err
		}
		if verify {
			if err := registry.CheckLink(l.last(), e, int64(line)); err != nil {
				return nil, err
			}
		}
		l.events = append(l.events, e)
		l.committed += int64(i) + 1
	}
}

func parseEvent(b []byte, line int) (registry.Event, error) {
	var e registry.Event
	if err := decodeJSON(b, &e); err != nil {
		return e, registry.Errorf(registry.ErrTampered, "%s line %d is not a valid audit event: %v", auditFile, line, err)
	}
	return e, nil
}

// appendEvent chains e after the log's last event and appends it: the
// commit point of every operation. It holds the log's lock, drops a
// partial line left by a crashed appender, and fsyncs before returning, so
// a returned event survives a crash.
func appendEvent(ctx context.Context, root *os.Root, e registry.Event, wait time.Duration) (registry.Event, error) {
	lock, err := acquire(ctx, root, auditLock, "the audit log", wait)
	if err != nil {
		return e, err
	}
	defer lock.release()
	log, err := readLog(root, true)
	if err != nil {
		return e, err
	}
	e = registry.Chain(log.last(), e)
	line, err := json.Marshal(e)
	if err != nil {
		return e, err
	}
	return e, writeLine(root, log, append(line, '\n'))
}

// writeLine appends one line with a single write and fsyncs it.
func writeLine(root *os.Root, log *auditLog, line []byte) error {
	f, err := root.OpenFile(auditFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("cannot open the audit log: %w", err)
	}
	if log.size > log.committed {
		err = f.Truncate(log.committed)
	}
	if err == nil {
		_, err = f.Write(line)
	}
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		// Not committed: take back whatever part of the line got written,
		// so no later reader mistakes it for a success.
		_ = f.Truncate(log.committed)
		_ = f.Close()
		return fmt.Errorf("cannot append to the audit log: %w", err)
	}
	// Committed once fsync returned: a failing close cannot undo that, and
	// reporting it as a failure would make Publish take back content that
	// the log already names.
	_ = f.Close()
	if log.size == 0 {
		return syncDir(root, ".") // the log file itself was just created
	}
	return nil
}
