package dynamostore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/spine-opener/spine-opener/internal/dynamolocal"
	"github.com/spine-opener/spine-opener/internal/dynamostore"
)

var (
	endpoint string
	update   = flag.Bool("update", false, "rewrite "+operationsFile+" with the DynamoDB operations the tests performed")
)

// TestMain runs every test here against a real DynamoDB Local. Not finding it is a failure,
// never a skip. After a passing run of the whole suite, it checks the operations the store
// performed against operationsFile.
func TestMain(m *testing.M) {
	flag.Parse()
	srv, err := dynamolocal.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dynamostore tests need DynamoDB Local:", err)
		os.Exit(1)
	}
	endpoint = srv.Endpoint
	code := m.Run()
	srv.Stop()
	if code == 0 {
		if err := checkOperations(); err != nil {
			fmt.Fprintln(os.Stderr, "FAIL:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// operationsFile lists every DynamoDB operation the store performs, as this package's tests
// record them at the HTTP layer; infra/template_test.go holds the function's IAM policy to it.
const operationsFile = "testdata/operations.txt"

// performed is every operation the stores under test performed, across all tests: the
// X-Amz-Target of each call, and for a transaction each kind of item in it (as
// "TransactWriteItems/Put"), since IAM authorizes a transaction item by item.
var performed = struct {
	sync.Mutex
	ops map[string]bool
}{ops: map[string]bool{}}

// checkOperations compares the operations performed with operationsFile, or rewrites the
// file with -update. A run of part of the suite (-run, -skip) checks nothing, since it
// performs only some of the operations.
func checkOperations() error {
	for _, name := range []string{"run", "skip", "list"} {
		if f := flag.Lookup("test." + name); f != nil && f.Value.String() != "" {
			if *update {
				return fmt.Errorf("-update needs the whole suite: drop -%s", name)
			}
			if testing.Verbose() {
				fmt.Printf("operations not checked against %s: -%s runs part of the suite\n", operationsFile, name)
			}
			return nil
		}
	}
	performed.Lock()
	got := slices.Sorted(maps.Keys(performed.ops))
	performed.Unlock()
	if *update {
		text := "# DynamoDB operations the store performs, recorded by its tests at the HTTP layer\n" +
			"# (go test ./internal/dynamostore -update rewrites this file). A transaction is listed\n" +
			"# by the kinds of item in it. infra/template_test.go requires the IAM policy in\n" +
			"# template.yaml to allow exactly these.\n" + strings.Join(got, "\n") + "\n"
		return os.WriteFile(operationsFile, []byte(text), 0o644)
	}
	raw, err := os.ReadFile(operationsFile)
	if err != nil {
		return err
	}
	var want []string
	for line := range strings.Lines(string(raw)) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			want = append(want, line)
		}
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("the store performed %v; %s lists %v. If that is meant, rewrite the file "+
			"(go test ./internal/dynamostore -update) and make template.yaml's policy match", got, operationsFile, want)
	}
	return nil
}

var tables atomic.Int64

var localConfig = aws.Config{
	Region:      "us-east-1",
	Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
}

func local(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) }

// newTable creates an empty table and returns a store on it, with its traffic recorded,
// and the client made with optFns besides. The table is created through a client of its
// own, so that only the store's calls are recorded.
func newTable(t testing.TB, optFns ...func(*dynamodb.Options)) (*dynamostore.Store, *recorder) {
	t.Helper()
	name := fmt.Sprintf("spine-opener-test-%d", tables.Add(1))
	if err := dynamostore.CreateTable(context.Background(), dynamostore.NewClient(localConfig, local), name); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{next: http.DefaultClient, table: name}
	client := dynamostore.NewClient(localConfig, append([]func(*dynamodb.Options){local, func(o *dynamodb.Options) { o.HTTPClient = rec }}, optFns...)...)
	return dynamostore.New(client, name), rec
}

// partition reads every item of the partition pk of table, through a client of its own.
func partition(t testing.TB, table, pk string) []map[string]types.AttributeValue {
	t.Helper()
	var items []map[string]types.AttributeValue
	pages := dynamodb.NewQueryPaginator(dynamostore.NewClient(localConfig, local), &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": dynamostore.AttrPK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		ConsistentRead:            aws.Bool(true),
	})
	for pages.HasMorePages() {
		out, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, out.Items...)
	}
	return items
}

// heldBy counts the user's own items in table: in their account's partition, an account's
// those not under a person's prefix, a person's those under theirs; never the tombstone.
func heldBy(t testing.TB, table, userKey string) int {
	t.Helper()
	account, person, isPerson := strings.Cut(userKey, ".")
	n := 0
	for _, item := range partition(t, table, account) {
		sk := item[dynamostore.AttrSK].(*types.AttributeValueMemberS).Value
		switch {
		case sk == "GONE":
		case isPerson && strings.HasPrefix(sk, "P#"+person+"#"):
			n++
		case !isPerson && !strings.HasPrefix(sk, "P#"):
			n++
		}
	}
	return n
}

// recorder sits between the DynamoDB client and DynamoDB Local: it counts calls by
// operation and can answer in DynamoDB's place with throttling or server errors.
type recorder struct {
	next  *http.Client
	table string // the table whose store's calls it sees
	mu    sync.Mutex
	calls map[string]int
	// fail is how many of the next calls fail (-1: all of them), with failStatus.
	fail       int
	failStatus int
	// Every call before throttleUntil is throttled, in each of the ways DynamoDB throttles.
	throttleUntil time.Time
	throttled     int
	// attempts counts the TransactWriteItems calls of each completion, by its sort key.
	attempts map[string]int
}

// Ways DynamoDB answers when it throttles. A transaction whose items are throttled is
// cancelled with ThrottlingError as the reason.
const (
	throttlingException  = `{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}`
	throughputExceeded   = `{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded."}`
	throttledTransaction = `{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [ThrottlingError, None, None]",` +
		`"CancellationReasons":[{"Code":"ThrottlingError","Message":"Throughput exceeds the current capacity of your table or index."},{"Code":"None"},{"Code":"None"}]}`
	serverError = `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}`
)

// throttleAnswer is the nth throttling answer to an op call, taking each way in turn.
func throttleAnswer(op string, n int) string {
	switch n % 3 {
	case 1:
		return throughputExceeded
	case 2:
		if op == "TransactWriteItems" {
			return throttledTransaction
		}
	}
	return throttlingException
}

var completionKey = regexp.MustCompile(`"DONE#[^"]*"`)

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	op := strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "DynamoDB_20120810.")
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	record(op, body)
	r.mu.Lock()
	if r.calls == nil {
		r.calls = map[string]int{}
	}
	r.calls[op]++
	if op == "TransactWriteItems" {
		if r.attempts == nil {
			r.attempts = map[string]int{}
		}
		r.attempts[string(completionKey.Find(body))]++
	}
	status, answer := 0, ""
	switch {
	case time.Now().Before(r.throttleUntil):
		status, answer = http.StatusBadRequest, throttleAnswer(op, r.throttled)
		r.throttled++
	case r.fail != 0:
		status, answer = r.failStatus, throttlingException
		if status >= 500 {
			answer = serverError
		}
		if r.fail > 0 {
			r.fail--
		}
	}
	r.mu.Unlock()
	if status == 0 {
		return r.next.Do(req)
	}
	return &http.Response{
		StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"application/x-amz-json-1.0"}, "X-Amzn-Requestid": {"fault"}},
		Body:    io.NopCloser(strings.NewReader(answer)),
		Request: req, ContentLength: int64(len(answer)),
	}, nil
}

// record adds the call to performed.
func record(op string, body []byte) {
	ops := []string{op}
	if strings.HasPrefix(op, "Transact") {
		var tx struct{ TransactItems []map[string]json.RawMessage }
		if err := json.Unmarshal(body, &tx); err != nil {
			ops = append(ops, op+"/?") // fails the check: nothing lists it
		}
		for _, item := range tx.TransactItems {
			for kind := range item {
				ops = append(ops, op+"/"+kind)
			}
		}
	}
	performed.Lock()
	defer performed.Unlock()
	for _, op := range ops {
		performed.ops[op] = true
	}
}

// throttleFor throttles every call from now for d.
func (r *recorder) throttleFor(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.throttleUntil = time.Now().Add(d)
}

// failNext makes the next n calls fail with status (-1: every call until told otherwise).
func (r *recorder) failNext(n, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail, r.failStatus = n, status
}

// burst reports the calls throttled by throttleFor, and each completion's attempts.
func (r *recorder) burst() (throttled int, attempts map[string]int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.throttled, maps.Clone(r.attempts)
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
