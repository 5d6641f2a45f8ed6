package drift

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// MaxLineBytes bounds one NDJSON line (one exchange, bodies included).
const MaxLineBytes = 256 << 20

// ndjsonLine is one exchange as contracts/drift-sample.schema.json
// documents it.
type ndjsonLine struct {
	Time     *time.Time `json:"time"`
	Method   string     `json:"method"`
	URL      string     `json:"url"`
	Path     string     `json:"path"`
	Status   int        `json:"status"`
	Tenant   string     `json:"tenant"`
	Request  ndjsonMsg  `json:"request"`
	Response ndjsonMsg  `json:"response"`
}

type ndjsonMsg struct {
	Headers    map[string]headerValue `json:"headers"`
	Body       json.RawMessage        `json:"body"`
	BodyText   *string                `json:"bodyText"`
	BodyBase64 *string                `json:"bodyBase64"`
	Truncated  bool                   `json:"truncated"`
}

// headerValue is one header: a string, or a list for repeated headers.
type headerValue []string

func (h *headerValue) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*h = headerValue{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("a header value must be a string or a list of strings")
	}
	*h = many
	return nil
}

// ReadNDJSON reads one exchange per line and hands each to fn, holding
// one line at a time. Blank lines are skipped. A line that is not an
// exchange stops the read with an error naming its line number; so does
// an error from fn, returned as is.
func ReadNDJSON(r io.Reader, fn func(Exchange) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if len(bytes.TrimSpace(line)) > 0 {
			ex, perr := parseNDJSONLine(line)
			if perr != nil {
				return fmt.Errorf("line %d: %w", n, perr)
			}
			if ferr := fn(ex); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
}

// readLine reads up to and without the next newline, refusing lines over
// MaxLineBytes.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > MaxLineBytes {
			return nil, fmt.Errorf("the line is longer than %d MiB", MaxLineBytes>>20)
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}

func parseNDJSONLine(b []byte) (Exchange, error) {
	var l ndjsonLine
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&l); err != nil {
		return Exchange{}, fmt.Errorf("not an exchange: %s", jsonProblem(err))
	}
	if dec.More() {
		return Exchange{}, errors.New("not an exchange: more than one JSON value on the line")
	}
	ex := Exchange{Method: l.Method, URL: l.URL, Status: l.Status, Tenant: l.Tenant}
	if ex.URL == "" {
		ex.URL = l.Path
	}
	switch {
	case ex.Method == "":
		return Exchange{}, errors.New(`the exchange has no "method"`)
	case ex.URL == "":
		return Exchange{}, errors.New(`the exchange has neither "url" nor "path"`)
	case l.Status < 0 || l.Status > 999:
		return Exchange{}, fmt.Errorf(`"status" %d is not an HTTP status`, l.Status)
	}
	if l.Time != nil {
		ex.Time = *l.Time
	}
	var err error
	if ex.ReqHeader, ex.ReqBody, err = l.Request.parts("request"); err != nil {
		return Exchange{}, err
	}
	if ex.RespHeader, ex.RespBody, err = l.Response.parts("response"); err != nil {
		return Exchange{}, err
	}
	ex.ReqTruncated, ex.RespTruncated = l.Request.Truncated, l.Response.Truncated
	return ex, nil
}

func (m *ndjsonMsg) parts(side string) (http.Header, []byte, error) {
	h := http.Header{}
	for k, vs := range m.Headers {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	set := 0
	var body []byte
	if len(m.Body) > 0 && string(m.Body) != "null" {
		set++
		body = m.Body
	}
	if m.BodyText != nil {
		set++
		body = []byte(*m.BodyText)
	}
	if m.BodyBase64 != nil {
		set++
		b, err := base64.StdEncoding.DecodeString(*m.BodyBase64)
		if err != nil {
			return nil, nil, fmt.Errorf("the %s's bodyBase64 is not base64", side)
		}
		body = b
	}
	if set > 1 {
		return nil, nil, fmt.Errorf("the %s has more than one of body, bodyText and bodyBase64", side)
	}
	return h, body, nil
}

// jsonProblem words a decoding error without Go's type names.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%q has the wrong type (%s)", te.Field, te.Value)
	}
	return firstLine(err.Error())
}
