package dynamostore_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/spine-opener/spine-opener/internal/dynamolocal"
	"github.com/spine-opener/spine-opener/internal/dynamostore"
)

var endpoint string

// TestMain runs every test here against a real DynamoDB Local. Not finding it is a failure,
// never a skip.
func TestMain(m *testing.M) {
	srv, err := dynamolocal.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dynamostore tests need DynamoDB Local:", err)
		os.Exit(1)
	}
	endpoint = srv.Endpoint
	code := m.Run()
	srv.Stop()
	os.Exit(code)
}

var tables atomic.Int64

// newTable creates an empty table and returns a store on it, with its traffic recorded.
func newTable(t testing.TB) (*dynamostore.Store, *recorder) {
	t.Helper()
	rec := &recorder{next: http.DefaultClient}
	client := dynamostore.NewClient(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	}, func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.HTTPClient = rec
	})
	name := fmt.Sprintf("spine-opener-test-%d", tables.Add(1))
	if err := dynamostore.CreateTable(context.Background(), client, name); err != nil {
		t.Fatal(err)
	}
	rec.reset()
	return dynamostore.New(client, name), rec
}

// recorder sits between the DynamoDB client and DynamoDB Local: it counts calls by
// operation and can answer in DynamoDB's place with throttling or server errors.
type recorder struct {
	next  *http.Client
	mu    sync.Mutex
	calls map[string]int
	// fail is how many of the next calls fail (-1: all of them), with failStatus.
	fail       int
	failStatus int
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	op := strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "DynamoDB_20120810.")
	r.mu.Lock()
	if r.calls == nil {
		r.calls = map[string]int{}
	}
	r.calls[op]++
	failing := r.fail != 0
	if r.fail > 0 {
		r.fail--
	}
	status := r.failStatus
	r.mu.Unlock()
	if !failing {
		return r.next.Do(req)
	}
	body := `{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}`
	if status >= 500 {
		body = `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}`
	}
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{
		StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"application/x-amz-json-1.0"}, "X-Amzn-Requestid": {"fault"}},
		Body:    io.NopCloser(strings.NewReader(body)),
		Request: req, ContentLength: int64(len(body)),
	}, nil
}

// failNext makes the next n calls fail with status (-1: every call until told otherwise).
func (r *recorder) failNext(n, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail, r.failStatus = n, status
}

func (r *recorder) reset() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	calls := r.calls
	r.calls = map[string]int{}
	return calls
}

// readsWrites sorts calls into reads and writes.
func readsWrites(calls map[string]int) (reads, writes int) {
	for op, n := range calls {
		switch op {
		case "GetItem", "BatchGetItem", "Query", "Scan":
			reads += n
		default:
			writes += n
		}
	}
	return reads, writes
}
