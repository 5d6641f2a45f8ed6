package proxy

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEventStreamIsStreamedUntouched(t *testing.T) {
	next := make(chan struct{})
	up := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, "data: one\n\n")
		w.(http.Flusher).Flush()
		<-next
		_, _ = io.WriteString(w, "data: two\n\n")
	})
	c := newFlagIDs("x")
	h := start(t, up, c, nil)
	res, err := client.Get(h.url + "/events")
	require.NoError(t, err)
	defer func() { _ = res.Body.Close() }()
	r := bufio.NewReader(res.Body)
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "data: one\n", line, "the first event arrives while the upstream still holds the stream")
	ex := recv(t, "the stream's head judged", c.seen)
	assert.True(t, ex.RespTruncated, "the stream itself is never captured")
	close(next)
	rest, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "\ndata: two\n\n", string(rest))
}

// echoUpgrade answers a websocket handshake by hand and echoes bytes.
func echoUpgrade(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		http.Error(w, "upgrade required", http.StatusUpgradeRequired)
		return
	}
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer func() { _ = conn.Close() }()
	_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n")
	_ = rw.Flush()
	_, _ = io.Copy(conn, rw)
}

func TestWebsocketUpgradePassesThrough(t *testing.T) {
	c := newFlagIDs("x")
	h := start(t, http.HandlerFunc(echoUpgrade), c, nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
	require.NoError(t, err)
	defer func() { _ = conn.Close() }()
	_, err = io.WriteString(conn, "GET /ws HTTP/1.1\r\nHost: pets\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\n\r\n")
	require.NoError(t, err)
	r := bufio.NewReader(conn)
	res, err := http.ReadResponse(r, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusSwitchingProtocols, res.StatusCode)
	assert.Equal(t, "x", res.Header.Get("Sec-WebSocket-Accept"))
	_, err = conn.Write([]byte{0x81, 0x04, 'p', 'i', 'n', 'g'})
	require.NoError(t, err)
	got := make([]byte, 6)
	_, err = io.ReadFull(r, got)
	require.NoError(t, err)
	assert.Equal(t, []byte{0x81, 0x04, 'p', 'i', 'n', 'g'}, got, "frames pass both ways untouched")
	assert.Equal(t, http.StatusSwitchingProtocols, recv(t, "the handshake judged", c.seen).Status)
}

func TestUpstreamContentLengthLie(t *testing.T) {
	up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			_, _ = io.WriteString(w, "fine")
			return
		}
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		_, _ = rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
		_ = rw.Flush()
		_ = conn.Close()
	})
	c := newFlagIDs("x")
	h := start(t, up, c, nil)
	// The client sees a broken exchange, as it would without the proxy:
	// the connection is aborted, never completed with made-up bytes.
	res, err := client.Get(h.url + "/lie")
	if err == nil {
		_, err = io.ReadAll(res.Body)
		_ = res.Body.Close()
	}
	assert.Error(t, err)
	ex := recv(t, "the exchange", c.seen)
	assert.Equal(t, "short", string(ex.RespBody))
	assert.True(t, ex.RespTruncated)
	_, ok := get(t, h.url+"/ok")
	assert.Equal(t, "fine", string(ok), "the proxy serves on")
}

func TestClientContentLengthLie(t *testing.T) {
	h := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "fine")
	}), newFlagIDs("x"), nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
	require.NoError(t, err)
	_, err = io.WriteString(conn, "POST /pets HTTP/1.1\r\nHost: pets\r\nContent-Length: 1000\r\n\r\nonly this")
	require.NoError(t, err)
	require.NoError(t, conn.(*net.TCPConn).CloseWrite())
	_, _ = io.ReadAll(conn) // whatever the answer, the connection ends
	_ = conn.Close()
	_, ok := get(t, h.url+"/ok")
	assert.Equal(t, "fine", string(ok))
}

func TestHostileBodiesPassThroughUntouched(t *testing.T) {
	bodies := map[string][]byte{
		"deep":      []byte(strings.Repeat("[", 10000) + strings.Repeat("]", 10000)),
		"duplicate": []byte(`{"id":1,"id":"1"}`),
		"utf8":      []byte("{\"name\":\"\xc3\x28\xff\"}"),
	}
	up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_, _ = w.Write(b)
	})
	c := newFlagIDs("x")
	h := start(t, up, c, nil)
	for name, body := range bodies {
		res, err := client.Post(h.url+"/echo", "application/json", strings.NewReader(string(body)))
		require.NoError(t, err, name)
		got, err := io.ReadAll(res.Body)
		_ = res.Body.Close()
		require.NoError(t, err, name)
		assert.Equal(t, body, got, name)
		ex := recv(t, "the exchange", c.seen)
		assert.Equal(t, body, ex.ReqBody, name)
		assert.False(t, ex.ReqTruncated, name)
	}
}

func TestTwoGigabyteBodyIsStreamedNotHeld(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 2 GiB through loopback")
	}
	const size = 2 << 30
	const capBytes = 1 << 20
	up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		_, _ = fmt.Fprint(w, n)
	})
	c := newFlagIDs("x")
	h := start(t, up, c, func(o *Options, _ *Timeouts) { o.BodyCap = capBytes })
	req, err := http.NewRequest(http.MethodPut, h.url+"/upload", io.LimitReader(zeros{}, size))
	require.NoError(t, err)
	req.ContentLength = size
	res, err := client.Do(req)
	require.NoError(t, err)
	got, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	assert.Equal(t, fmt.Sprint(size), string(got), "every byte reached the upstream")
	ex := recv(t, "the exchange", c.seen)
	assert.Len(t, ex.ReqBody, capBytes, "the capture stops at the cap")
	assert.True(t, ex.ReqTruncated)
}

func TestSlowlorisIsCutOff(t *testing.T) {
	h := start(t, petsUpstream(), newFlagIDs("x"), func(_ *Options, tm *Timeouts) {
		tm.ReadHeader = 100 * time.Millisecond
	})
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
	require.NoError(t, err)
	defer func() { _ = conn.Close() }()
	_, err = io.WriteString(conn, "GET /pets HTTP/1.1\r\nHost: pets\r\nX-Slow: ")
	require.NoError(t, err)
	res, _ := get(t, h.url+"/pets/1")
	assert.Equal(t, http.StatusOK, res.StatusCode, "others are served meanwhile")
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(20*time.Second)))
	_, err = io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) {
		assert.False(t, ne.Timeout(), "the proxy must close the connection of a client that never finishes its head")
	}
}
