package dynamostore_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/spine-opener/spine-opener/internal/dynamostore"
	"github.com/spine-opener/spine-opener/internal/metrics"
	"github.com/spine-opener/spine-opener/internal/skill"
)

// scriptedDynamo is an HTTP server in DynamoDB's place that gives the answers it is told,
// in order, and the last of them ever after.
type scriptedDynamo struct {
	mu       sync.Mutex
	answers  []dynamoAnswer
	attempts int
}

type dynamoAnswer struct {
	status int
	body   string
}

func dynamoError(code, message string) dynamoAnswer {
	return dynamoAnswer{http.StatusBadRequest, `{"__type":"com.amazonaws.dynamodb.v20120810#` + code + `","message":"` + message + `"}`}
}

var (
	answerOK         = dynamoAnswer{http.StatusOK, `{}`}
	answerThrottling = dynamoError("ThrottlingException", "Rate of requests exceeds the allowed throughput.")
	answerThroughput = dynamoError("ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded.")
	answerLimit      = dynamoError("RequestLimitExceeded", "Throughput exceeds the current throughput limit for your account.")
	answerValidation = dynamoError("ValidationException", "One or more parameter values were invalid.")
	answerInternal   = dynamoAnswer{http.StatusInternalServerError, `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}`}
)

func cancelled(reasons ...string) dynamoAnswer {
	var codes []string
	for _, r := range reasons {
		codes = append(codes, `{"Code":"`+r+`"}`)
	}
	return dynamoAnswer{http.StatusBadRequest, `{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",` +
		`"Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [` + strings.Join(reasons, ", ") + `]",` +
		`"CancellationReasons":[` + strings.Join(codes, ",") + `]}`}
}

// seen is how many attempts reached the server.
func (s *scriptedDynamo) seen() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

func (s *scriptedDynamo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	a := s.answers[min(s.attempts, len(s.answers)-1)]
	s.attempts++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-Requestid", "scripted")
	w.WriteHeader(a.status)
	w.Write([]byte(a.body))
}

// scriptedClient is a client as NewClient makes it, on a scriptedDynamo giving answers.
func scriptedClient(t *testing.T, answers ...dynamoAnswer) (*dynamodb.Client, *scriptedDynamo) {
	t.Helper()
	script := &scriptedDynamo{answers: answers}
	srv := httptest.NewServer(script)
	t.Cleanup(srv.Close)
	return dynamostore.NewClient(localConfig, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(srv.URL) }), script
}

// TestCallMetrics: each DynamoDB call is reported to the request's metrics.Turn once,
// however often it is retried, and each attempt DynamoDB throttled is counted, in each of
// the ways DynamoDB throttles.
func TestCallMetrics(t *testing.T) {
	key := map[string]types.AttributeValue{
		dynamostore.AttrPK: &types.AttributeValueMemberS{Value: "u"},
		dynamostore.AttrSK: &types.AttributeValueMemberS{Value: "PROFILE"},
	}
	put := func(ctx context.Context, c *dynamodb.Client) error {
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("t"), Item: key})
		return err
	}
	transact := func(ctx context.Context, c *dynamodb.Client) error {
		_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{TableName: aws.String("t"), Item: key}},
		}})
		return err
	}
	batchGet := func(ctx context.Context, c *dynamodb.Client) error {
		_, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
			"t": {Keys: []map[string]types.AttributeValue{key}},
		}})
		return err
	}
	batchWrite := func(ctx context.Context, c *dynamodb.Client) error {
		_, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{
			"t": {{DeleteRequest: &types.DeleteRequest{Key: key}}},
		}})
		return err
	}
	unprocessedKeys := dynamoAnswer{http.StatusOK, `{"Responses":{"t":[]},"UnprocessedKeys":{"t":{"Keys":[{"pk":{"S":"u"},"sk":{"S":"PROFILE"}}]}}}`}
	unprocessedItems := dynamoAnswer{http.StatusOK, `{"UnprocessedItems":{"t":[{"DeleteRequest":{"Key":{"pk":{"S":"u"},"sk":{"S":"PROFILE"}}}}]}}`}

	cases := []struct {
		name      string
		call      func(context.Context, *dynamodb.Client) error
		answers   []dynamoAnswer
		fails     bool
		throttled int64
	}{
		{"an answer at once", put, []dynamoAnswer{answerOK}, false, 0},
		{"throttled twice, then written", put, []dynamoAnswer{answerThrottling, answerThrottling, answerOK}, false, 2},
		{"throughput and account limits", put, []dynamoAnswer{answerThroughput, answerLimit, answerOK}, false, 2},
		{"a transaction cancelled for throttling", transact, []dynamoAnswer{cancelled("ThrottlingError"), answerOK}, false, 1},
		{"a transaction cancelled for throughput", transact, []dynamoAnswer{cancelled("None", "ProvisionedThroughputExceeded"), answerOK}, false, 1},
		{"a transaction cancelled by its condition", transact, []dynamoAnswer{cancelled("ConditionalCheckFailed")}, true, 0},
		{"keys left unprocessed", batchGet, []dynamoAnswer{unprocessedKeys}, false, 1},
		{"a batch read whole", batchGet, []dynamoAnswer{{http.StatusOK, `{"Responses":{"t":[]},"UnprocessedKeys":{}}`}}, false, 0},
		{"items left unprocessed", batchWrite, []dynamoAnswer{unprocessedItems}, false, 1},
		{"a server error, retried", put, []dynamoAnswer{answerInternal, answerOK}, false, 0},
		{"a request DynamoDB refuses", put, []dynamoAnswer{answerValidation}, true, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			client, script := scriptedClient(t, c.answers...)
			ctx, turn := metrics.NewContext(context.Background())
			err := c.call(ctx, client)
			if (err != nil) != c.fails {
				t.Fatalf("call: error %v, want failure %v", err, c.fails)
			}
			got := turn.DynamoDB()
			if got.Calls != 1 || got.Throttles != c.throttled {
				t.Errorf("got %d calls and %d throttles (%d attempts), want 1 call and %d throttles",
					got.Calls, got.Throttles, script.seen(), c.throttled)
			}
			if got.Total <= 0 || got.Longest != got.Total {
				t.Errorf("one call's time: total %v, longest %v", got.Total, got.Longest)
			}
		})
	}
}

// TestCallMetricsThroughStore: the store's calls carry the request's context down to the
// client, so a turn sees them; and a call without a Turn is made as before.
func TestCallMetricsThroughStore(t *testing.T) {
	client, script := scriptedClient(t, answerThrottling, dynamoAnswer{http.StatusOK, `{"Responses":{"t":[]},"UnprocessedKeys":{}}`})
	store := dynamostore.New(client, "t")
	ctx, turn := metrics.NewContext(context.Background())
	if _, err := store.User(ctx, "u"); err != nil && !errors.Is(err, skill.ErrNotFound) {
		t.Fatalf("User: %v", err)
	}
	if got := turn.DynamoDB(); got.Calls < 1 || got.Throttles != 1 {
		t.Errorf("User: got %d calls and %d throttles (%d attempts), want at least one call and 1 throttle",
			got.Calls, got.Throttles, script.seen())
	}

	plain, _ := scriptedClient(t, answerThrottling, answerOK)
	item := map[string]types.AttributeValue{dynamostore.AttrPK: &types.AttributeValueMemberS{Value: "u"}}
	if _, err := plain.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String("t"), Item: item}); err != nil {
		t.Errorf("PutItem without a Turn: %v", err)
	}
}
