package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// rawPointer matches what a JSON pointer leaks into prose: an escaped
// slash, or a pointer into a document section such as /paths/ or
// /components/.
var rawPointer = regexp.MustCompile(`~[01]|/(paths|components|definitions|webhooks|channels|\$defs)/|/(schema|requestBody|content|properties|parameters|responses|prefixItems|allOf|oneOf|anyOf|payload)(/|'|$)`)

// url matches quoted URLs, whose paths are what the contract says.
var url = regexp.MustCompile(`'[a-z]+://[^']*'`)

// TestMessagesReadable: every message in every fixture names what a person
// reads (parameter, property, status, media type), never a raw pointer.
func TestMessagesReadable(t *testing.T) {
	dirs, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join("testdata", d.Name())
		for _, c := range classify(t, dir) {
			if rawPointer.MatchString(url.ReplaceAllString(c.Message, "URL")) {
				t.Errorf("%s: %s: message carries a raw pointer: %s", d.Name(), c.ID, c.Message)
			}
		}
	}
}
