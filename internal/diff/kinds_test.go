package diff_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/diff"
)

func compareWith(t *testing.T, base, rev string, opts diff.Options) *diff.Result {
	t.Helper()
	res, err := diff.Compare(mustLoad(t, "base.yaml", base), mustLoad(t, "revision.yaml", rev), opts)
	require.NoError(t, err)
	return res
}

// opNames lists the operations of a side with the side their body is on.
func opNames(api *diff.API) map[string]diff.Side {
	out := map[string]diff.Side{}
	for _, op := range api.Operations {
		out[op.Name] = op.RequestSide()
	}
	return out
}

func TestFunctionParts(t *testing.T) {
	doc := `function: t/f
input: {type: object}
output: {type: object}
errors: {card_declined: {type: object}}
events: {charge.succeeded: {type: object}}
`
	res := compareWith(t, doc, doc, diff.Options{})
	assert.Equal(t, map[string]diff.Side{
		"input": diff.RequestSide, "output": diff.ResponseSide,
		"errors.card_declined": diff.ResponseSide, "events.charge.succeeded": diff.ResponseSide,
	}, opNames(res.RevisionAPI))
	for _, op := range res.Operations {
		require.NotNil(t, op.Body, op.Name())
		require.Len(t, op.Body.Media, 1)
		assert.Equal(t, op.Rev.RequestSide(), op.Body.Media[0].Schema.Side, "%s: schema compared on the part's side", op.Name())
	}
}

func TestJSONSchemaRole(t *testing.T) {
	doc := `$schema: https://json-schema.org/draft/2020-12/schema
type: object
`
	assert.Equal(t, map[string]diff.Side{"input": diff.RequestSide}, opNames(compareWith(t, doc, doc, diff.Options{}).RevisionAPI))
	assert.Equal(t, map[string]diff.Side{"output": diff.ResponseSide},
		opNames(compareWith(t, doc, doc, diff.Options{SchemaRole: diff.RoleOutput}).RevisionAPI))
}

// TestJSONSchemaDefinitionsOnly: a bag of definitions is one part per
// definition; when only one side is such a bag, both are read whole.
func TestJSONSchemaDefinitionsOnly(t *testing.T) {
	defs := `$schema: http://json-schema.org/draft-07/schema#
$id: https://example.com/defs.json
definitions:
  A: {type: string}
  B: {type: integer}
`
	res := compareWith(t, defs, defs, diff.Options{})
	assert.Equal(t, map[string]diff.Side{"definitions/A": diff.RequestSide, "definitions/B": diff.RequestSide}, opNames(res.RevisionAPI))
	whole := defs + "type: object\n"
	res = compareWith(t, defs, whole, diff.Options{})
	assert.Equal(t, map[string]diff.Side{"input": diff.RequestSide}, opNames(res.BaseAPI))
	assert.Equal(t, map[string]diff.Side{"input": diff.RequestSide}, opNames(res.RevisionAPI))
}

const asyncV2 = `asyncapi: 2.6.0
info: {title: t, version: 1.0.0}
defaultContentType: application/json
channels:
  user/signedup:
    subscribe:
      operationId: emitUserSignUp
      message:
        oneOf:
          - $ref: '#/components/messages/UserSignedUp'
          - messageId: userDeleted
            payload: {type: object}
  user/commands:
    bindings:
      amqp: {is: queue, queue: {name: user-commands}}
    publish:
      message:
        traits:
          - headers: {type: object, properties: {trace: {type: string}}}
        payload: {type: object}
components:
  messages:
    UserSignedUp:
      name: userSignedUp
      contentType: application/cloudevents+json
      payload: {type: object}
`

// TestAsyncAPI2Inversion: in 2.x, subscribe is what the application sends
// (response-like), publish what it receives (request-like).
func TestAsyncAPI2Inversion(t *testing.T) {
	res := compareWith(t, asyncV2, asyncV2, diff.Options{})
	assert.Equal(t, map[string]diff.Side{"send user/signedup": diff.ResponseSide, "receive user/commands": diff.RequestSide},
		opNames(res.RevisionAPI))
	var send, recv *diff.Operation
	for _, op := range res.RevisionAPI.Operations {
		if op.Kind == diff.Send {
			send = op
		} else {
			recv = op
		}
	}
	require.Len(t, send.Async.Messages, 2, "oneOf lists two messages")
	assert.Equal(t, []string{"userSignedUp", "UserSignedUp"}, send.Async.Messages[0].IDs)
	assert.Equal(t, "application/cloudevents+json", send.Async.Messages[0].ContentType)
	assert.Equal(t, "userDeleted", send.Async.Messages[1].Key)
	assert.Equal(t, "application/json", send.Async.Messages[1].ContentType, "the document's default")
	assert.Equal(t, "user-commands", recv.Path, "an AMQP queue binding names the real address")
	require.Len(t, recv.Async.Messages, 1)
	assert.NotNil(t, recv.Async.Messages[0].Headers, "headers from a message trait")
	var media []string
	for _, m := range send.Body.Content {
		media = append(media, m.Type)
	}
	assert.Equal(t, []string{"userSignedUp payload", "userSignedUp headers", "userDeleted payload", "userDeleted headers"}, media)
}

const asyncV3 = `asyncapi: 3.0.0
info: {title: t, version: 1.0.0}
defaultContentType: application/json
channels:
  signups:
    address: user/signedup
    messages:
      signedUp: {$ref: '#/components/messages/UserSignedUp'}
      deleted:
        messageId: userDeleted
        payload: {type: object}
  commands:
    address: null
    messages:
      cmd: {payload: {type: object}}
  replies:
    address: user/replies
    messages:
      ack: {payload: {type: object}}
operations:
  emitUserSignUp:
    action: send
    channel: {$ref: '#/channels/signups'}
  handleCommand:
    action: receive
    channel: {$ref: '#/channels/commands'}
    messages:
      - $ref: '#/channels/commands/messages/cmd'
    reply:
      channel: {$ref: '#/channels/replies'}
components:
  messages:
    UserSignedUp:
      name: userSignedUp
      contentType: application/cloudevents+json
      payload: {type: object}
`

// TestAsyncAPI3 reads actions, dynamic addresses and request/reply.
func TestAsyncAPI3(t *testing.T) {
	res := compareWith(t, asyncV3, asyncV3, diff.Options{})
	assert.Equal(t, map[string]diff.Side{
		"send signups":     diff.ResponseSide,
		"receive commands": diff.RequestSide,
		"send replies (reply to receive commands)": diff.ResponseSide,
	}, opNames(res.RevisionAPI))
	for _, op := range res.Operations {
		require.NotNil(t, op.Base, op.Name())
		require.NotNil(t, op.Rev, op.Name())
	}
}

// TestAsyncAPIMigrationPairs: a 2.x document and its 3.0 rewrite pair
// every operation (by address) and every message (by name or id).
func TestAsyncAPIMigrationPairs(t *testing.T) {
	v3 := `asyncapi: 3.0.0
info: {title: t, version: 1.0.0}
defaultContentType: application/json
channels:
  signups:
    address: user/signedup
    messages:
      signedUp: {$ref: '#/components/messages/UserSignedUp'}
      deleted:
        messageId: userDeleted
        payload: {type: object}
  commands:
    address: user-commands
    messages:
      cmd:
        traits:
          - headers: {type: object, properties: {trace: {type: string}}}
        payload: {type: object}
operations:
  emitUserSignUp:
    action: send
    channel: {$ref: '#/channels/signups'}
  handleCommand:
    action: receive
    channel: {$ref: '#/channels/commands'}
components:
  messages:
    UserSignedUp:
      name: userSignedUp
      contentType: application/cloudevents+json
      payload: {type: object}
`
	res := compareWith(t, asyncV2, v3, diff.Options{})
	require.Len(t, res.Operations, 2)
	for _, op := range res.Operations {
		require.NotNil(t, op.Base, op.Name())
		require.NotNil(t, op.Rev, op.Name())
		for _, m := range op.Body.Media {
			assert.NotNil(t, m.Base, "%s %s", op.Name(), m.Type)
			assert.NotNil(t, m.Rev, "%s %s", op.Name(), m.Type)
		}
	}
}

// TestAsyncAPIMatchByMessage: when neither address nor channel id nor
// operation id survives, a shared message still pairs the operations.
func TestAsyncAPIMatchByMessage(t *testing.T) {
	moved := `asyncapi: 3.0.0
info: {title: t, version: 1.0.0}
channels:
  newSignups:
    address: users/v2/signed-up
    messages:
      userSignedUp: {payload: {type: object}}
operations:
  publish:
    action: send
    channel: {$ref: '#/channels/newSignups'}
`
	res := compareWith(t, asyncV2, moved, diff.Options{})
	var paired *diff.OpPair
	for _, op := range res.Operations {
		if op.Base != nil && op.Rev != nil {
			paired = op
		}
	}
	require.NotNil(t, paired)
	assert.Equal(t, "send user/signedup", paired.Base.Name)
	assert.Equal(t, "send newSignups", paired.Rev.Name)
}

func TestKindsNotComparable(t *testing.T) {
	_, err := diff.Compare(mustLoad(t, "a.yaml", asyncV2), mustLoad(t, "f.yaml", "function: t/f\ninput: {}\n"), diff.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot compare an asyncapi contract (a.yaml) with a function contract (f.yaml)")
}
