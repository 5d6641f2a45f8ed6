package drift

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// harEntry is the part of a HAR 1.2 entry relay reads.
type harEntry struct {
	StartedDateTime string `json:"startedDateTime"`
	Request         struct {
		Method   string      `json:"method"`
		URL      string      `json:"url"`
		Headers  []harHeader `json:"headers"`
		PostData *struct {
			MimeType string `json:"mimeType"`
			Text     string `json:"text"`
			Encoding string `json:"encoding"` // not in HAR 1.2, but some exporters write it
		} `json:"postData"`
	} `json:"request"`
	Response struct {
		Status  int         `json:"status"`
		Headers []harHeader `json:"headers"`
		Content struct {
			Size     int64  `json:"size"`
			MimeType string `json:"mimeType"`
			Text     string `json:"text"`
			Encoding string `json:"encoding"`
		} `json:"content"`
	} `json:"response"`
}

type harHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ReadHAR reads a HAR 1.2 document and hands each of log.entries to fn,
// decoding one entry at a time: a HAR is one JSON document, but only the
// entry being handed over is held. An error from fn is returned as is.
func ReadHAR(r io.Reader, fn func(Exchange) error) error {
	dec := json.NewDecoder(r)
	found := false
	err := object(dec, func(key string) error {
		if key != "log" {
			return skip(dec)
		}
		return object(dec, func(key string) error {
			if key != "entries" {
				return skip(dec)
			}
			found = true
			return entries(dec, fn)
		})
	})
	if err != nil {
		return err
	}
	if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
		return errors.New("not a HAR file: there is data after the document")
	}
	if !found {
		return errors.New("not a HAR file: there is no log.entries")
	}
	return nil
}

// object reads one JSON object, calling member for each key with the
// decoder at the value, which member must consume.
func object(dec *json.Decoder, member func(string) error) error {
	if err := delim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return harProblem(err)
		}
		key, _ := t.(string)
		if err := member(key); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return harProblem(err)
}

func delim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return harProblem(err)
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("not a HAR file: expected %q at offset %d", string(want), dec.InputOffset())
	}
	return nil
}

func skip(dec *json.Decoder) error {
	var v json.RawMessage
	return harProblem(dec.Decode(&v))
}

func entries(dec *json.Decoder, fn func(Exchange) error) error {
	if err := delim(dec, '['); err != nil {
		return err
	}
	for i := 0; dec.More(); i++ {
		var e harEntry
		if err := dec.Decode(&e); err != nil {
			return fmt.Errorf("log.entries[%d]: %w", i, harProblem(err))
		}
		ex, err := e.exchange()
		if err != nil {
			return fmt.Errorf("log.entries[%d]: %w", i, err)
		}
		if err := fn(ex); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return harProblem(err)
}

func (e *harEntry) exchange() (Exchange, error) {
	if e.Request.Method == "" || e.Request.URL == "" {
		return Exchange{}, errors.New("the entry has no request method or url")
	}
	ex := Exchange{Method: e.Request.Method, URL: e.Request.URL, Status: e.Response.Status,
		ReqHeader: harHeaders(e.Request.Headers), RespHeader: harHeaders(e.Response.Headers)}
	if t, err := time.Parse(time.RFC3339Nano, e.StartedDateTime); err == nil {
		ex.Time = t
	}
	if p := e.Request.PostData; p != nil {
		b, err := harBody(p.Text, p.Encoding)
		if err != nil {
			return Exchange{}, fmt.Errorf("request.postData: %w", err)
		}
		ex.ReqBody = b
		if ex.ReqHeader.Get("Content-Type") == "" && p.MimeType != "" {
			ex.ReqHeader.Set("Content-Type", p.MimeType)
		}
	}
	c := e.Response.Content
	b, err := harBody(c.Text, c.Encoding)
	if err != nil {
		return Exchange{}, fmt.Errorf("response.content: %w", err)
	}
	ex.RespBody = b
	if ex.RespHeader.Get("Content-Type") == "" && c.MimeType != "" && len(b) > 0 {
		ex.RespHeader.Set("Content-Type", c.MimeType)
	}
	// An exporter that cut the text says so through content.size.
	ex.RespTruncated = c.Size > int64(len(b)) && len(b) > 0 && c.Encoding == ""
	return ex, nil
}

func harBody(text, encoding string) ([]byte, error) {
	if encoding == "base64" {
		b, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			return nil, errors.New("the base64 text does not decode")
		}
		return b, nil
	}
	return []byte(text), nil
}

func harHeaders(hs []harHeader) http.Header {
	h := make(http.Header, len(hs))
	for _, x := range hs {
		if x.Name != "" && x.Name[0] != ':' { // HTTP/2 pseudo-headers are not headers
			h.Add(x.Name, x.Value)
		}
	}
	return h
}

// harProblem words a decoding error; io.EOF inside the document means it
// was cut short.
func harProblem(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("not a HAR file: the document ends too early")
	}
	return fmt.Errorf("not a HAR file: %s", jsonProblem(err))
}
