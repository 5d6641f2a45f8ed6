package cli

import (
	"context"
	"errors"

	"github.com/relay-dev/relay/internal/drift/sink"
)

// newDriftPost returns the sink.Post the drift sinks (CloudEvents, Slack)
// deliver with: the webhook transport's rules exactly, redirects followed
// only within the URL's own scheme, host and port, link-local and cloud
// metadata addresses refused unless allowLinkLocal, plus the answer's
// Retry-After, which the sinks honour.
func newDriftPost(allowLinkLocal bool) sink.Post {
	client := webhookClient(allowLinkLocal)
	return func(ctx context.Context, u, contentType string, body []byte) (sink.Answer, error) {
		ans, err := webhookRoundTrip(ctx, client, u, contentType, body)
		var final *finalPost
		if errors.As(err, &final) {
			return sink.Answer{}, sink.Final(final.err)
		}
		return sink.Answer{Code: ans.code, Status: ans.status, RetryAfter: ans.retryAfter}, err
	}
}
