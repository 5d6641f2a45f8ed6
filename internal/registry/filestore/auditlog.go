package filestore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/relay-dev/relay/internal/registry"
)

// auditLog is the committed part of one audit log file.
type auditLog struct {
	// name is the file's path inside the root.
	name   string
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

// fnLogName is the function's own audit log inside the root.
func fnLogName(function string) string { return path.Join(fnDir(function), auditFile) }

// readLog reads every complete line of the log file name (nil root or no
// file: an empty log). With verify, the hash chain is checked as it is
// read, the first event following base (nil: the genesis).
func readLog(root *os.Root, name string, verify bool, base *registry.Event) (*auditLog, error) {
	if root == nil {
		return &auditLog{name: name}, nil
	}
	data, err := root.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return &auditLog{name: name}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the audit log %s: %w", displayName(root, name), err)
	}
	return parseLog(root, name, data, verify, base)
}

// displayName is name as the user finds it: under the registry directory.
func displayName(root *os.Root, name string) string {
	return filepath.Join(root.Name(), filepath.FromSlash(name))
}

// parseLog reads the complete lines of a log. Blank lines (an editor's
// trailing newline) are skipped and a CR before the newline (a CRLF
// checkout) is dropped: neither is part of an event, and the hash chain
// still covers every event's content.
func parseLog(root *os.Root, name string, data []byte, verify bool, base *registry.Event) (*auditLog, error) {
	l := &auditLog{name: name, size: int64(len(data))}
	prev := base
	for line := 1; ; line++ {
		i := bytes.IndexByte(data[l.committed:], '\n')
		if i < 0 {
			return l, nil
		}
		text := bytes.TrimSpace(data[l.committed : l.committed+int64(i)])
		l.committed += int64(i) + 1
		if len(text) == 0 {
			continue
		}
		e, err := parseEvent(text)
		if err != nil {
			return nil, registry.Errorf(registry.ErrTampered, "%s line %d is not a valid audit event: %v", displayName(root, name), line, err)
		}
		if verify {
			if err := registry.CheckLink(prev, e, int64(len(l.events)+1)); err != nil {
				return nil, registry.Errorf(registry.ErrTampered, "%s line %d: %v", displayName(root, name), line, err)
			}
		}
		l.events = append(l.events, e)
		prev = l.last()
	}
}

func parseEvent(b []byte) (registry.Event, error) {
	var e registry.Event
	err := decodeJSON(b, &e)
	return e, err
}

// history is everything the audit logs say about one function: its events
// in the global log that earlier versions of relay kept (legacy), then its
// own log, whose chain continues from the last of them.
type history struct {
	legacy []registry.Event
	own    *auditLog
}

// events is the function's whole history, oldest first.
func (h *history) events() []registry.Event {
	return append(slices.Clip(h.legacy), h.own.events...)
}

// last is the function's latest event, nil when it has none.
func (h *history) last() *registry.Event {
	if e := h.own.last(); e != nil {
		return e
	}
	if len(h.legacy) == 0 {
		return nil
	}
	return &h.legacy[len(h.legacy)-1]
}

// readLegacy reads the global audit.jsonl an earlier relay appended every
// event to. It is never written again: new events go to the functions' own
// logs, so that branches working on different functions touch different
// files and git merges them without conflict.
func readLegacy(root *os.Root, verify bool) (*auditLog, error) {
	return readLog(root, auditFile, verify, nil)
}

// readHistory reads function's events from the legacy log and its own log,
// verifying both chains with verify.
func readHistory(root *os.Root, legacy *auditLog, function string, verify bool) (*history, error) {
	h := &history{}
	for _, e := range legacy.events {
		if e.Function == function {
			h.legacy = append(h.legacy, e)
		}
	}
	var base *registry.Event
	if len(h.legacy) > 0 {
		base = &h.legacy[len(h.legacy)-1]
	}
	own, err := readLog(root, fnLogName(function), verify, base)
	if err != nil {
		if split := splitHistory(root, h, function); split != nil {
			return nil, split
		}
		return nil, err
	}
	h.own = own
	return h, nil
}

// splitHistory explains a function's own log that does not continue its
// last legacy event because it continues an earlier one: an older relay
// appended to the global log after this one began the function's own log.
func splitHistory(root *os.Root, h *history, function string) error {
	if root == nil || len(h.legacy) < 2 {
		return nil
	}
	own, err := readLog(root, fnLogName(function), false, nil)
	if err != nil || len(own.events) == 0 {
		return nil
	}
	for i, e := range h.legacy[:len(h.legacy)-1] {
		if e.Hash == own.events[0].PrevHash {
			return registry.Errorf(registry.ErrTampered,
				"%s continues %s's history from event %d of %s, but an older relay has since written event %d for %s there; "+
					"upgrade every relay that writes to this registry, then restore %s from version control",
				displayName(root, fnLogName(function)), function, e.Seq, displayName(root, auditFile), h.legacy[i+1].Seq, function,
				displayName(root, auditFile))
		}
	}
	return nil
}

// appendEvent chains e after the function's last event and appends it to
// the function's log: the commit point of every operation. The caller
// holds the function's lock. It drops a partial line left by a crashed
// appender, and fsyncs before returning, so a returned event survives a
// crash.
func appendEvent(root *os.Root, h *history, e registry.Event) (registry.Event, error) {
	e = registry.Chain(h.last(), e)
	line, err := json.Marshal(e)
	if err != nil {
		return e, err
	}
	if err := writeLine(root, h.own, append(line, '\n')); err != nil {
		return e, err
	}
	h.own.events = append(h.own.events, e)
	h.own.committed += int64(len(line)) + 1
	h.own.size = h.own.committed
	return e, nil
}

// writeLine appends one line with a single write and fsyncs it.
func writeLine(root *os.Root, log *auditLog, line []byte) error {
	f, err := root.OpenFile(log.name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("cannot open the audit log %s: %w", displayName(root, log.name), err)
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
		return fmt.Errorf("cannot append to the audit log %s: %w", displayName(root, log.name), err)
	}
	// Committed once fsync returned: a failing close cannot undo that, and
	// reporting it as a failure would make Publish take back content that
	// the log already names.
	_ = f.Close()
	if log.size == 0 {
		return syncDir(root, path.Dir(log.name)) // the log file itself may have just been created
	}
	return nil
}

// ensureLog creates the function's log, empty, before its first content is
// written: a version directory in a function without a log then always
// means the log was deleted, never a publish that crashed.
func ensureLog(root *os.Root, function string) error {
	name := fnLogName(function)
	if _, err := root.Stat(name); err == nil {
		return nil
	}
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("cannot create the audit log %s: %w", displayName(root, name), err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(root, fnDir(function))
	}
	return err
}

// functions lists the functions the registry holds: every team/name
// directory, and every function the legacy log names, sorted.
func functions(root *os.Root, legacy *auditLog) ([]string, error) {
	set := map[string]bool{}
	for _, e := range legacy.events {
		if checkFunction(e.Function) == nil {
			set[e.Function] = true
		}
	}
	teams, err := readDir(root, ".")
	if err != nil {
		return nil, err
	}
	for _, team := range teams {
		if !team.IsDir() || strings.HasPrefix(team.Name(), ".") {
			continue
		}
		names, err := readDir(root, team.Name())
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			fn := team.Name() + "/" + n.Name()
			if n.IsDir() && checkFunction(fn) == nil {
				set[fn] = true
			}
		}
	}
	return slices.Sorted(func(yield func(string) bool) {
		for fn := range set {
			if !yield(fn) {
				return
			}
		}
	}), nil
}

// allEvents is the whole registry's trail: the legacy log in its order,
// then the functions' own events merged by time (ties by function name),
// each function's events staying in chain order.
func allEvents(root *os.Root, legacy *auditLog, verify bool) ([]registry.Event, error) {
	if root == nil {
		return nil, nil
	}
	fns, err := functions(root, legacy)
	if err != nil {
		return nil, err
	}
	var streams [][]registry.Event
	for _, fn := range fns {
		h, err := readHistory(root, legacy, fn, verify)
		if err != nil {
			return nil, err
		}
		if len(h.own.events) > 0 {
			streams = append(streams, h.own.events)
		}
	}
	out := slices.Clone(legacy.events)
	for {
		best := -1
		for i, s := range streams {
			if len(s) > 0 && (best < 0 || earlier(s[0], streams[best][0])) {
				best = i
			}
		}
		if best < 0 {
			return out, nil
		}
		out = append(out, streams[best][0])
		streams[best] = streams[best][1:]
	}
}

func earlier(a, b registry.Event) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	return a.Function < b.Function
}
