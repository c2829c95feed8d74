package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/spine-opener/spine-opener/internal/skill"
)

var _ skill.Store = (*Store)(nil)

// Sort keys: the profile's and the place's, and the prefixes of completions and pain records.
const (
	skProfile    = "PROFILE"
	skPlace      = "PLACE"
	doneSKPrefix = "DONE#"
	painSKPrefix = "PAIN#"
	timeLayout   = "2006-01-02T15:04:05.000Z" // fixed width, so text order is time order
)

// Time limits. Alexa waits 8 s for an answer and the function's Lambda timeout is 7 s
// (template.yaml). The request that records a completion makes, at worst, a time zone
// lookup (at most 1 s), Complete and CountCompletions, in that order.
const (
	// DefaultBudget bounds every call but Complete and RecordPain, retries included. When
	// one of them gives up, the user loses little: a default tempo, a count not said, a place
	// to resume.
	DefaultBudget = 2 * time.Second
	// DefaultCompleteBudget bounds Complete and RecordPain, the writes a user would miss: a
	// routine done, or a stop for pain that a later launch should ask about. It outlasts a
	// throttling burst (DynamoDB adapting its capacity to a sudden load) of up to about
	// 4.5 s, the budget less one backoff, rather than telling the user their routine could
	// not be saved.
	DefaultCompleteBudget = 5 * time.Second
	// answerReserve is kept free before the deadline of the caller's context (on Lambda, the
	// function's 7 s timeout): no call runs into it, so however long the retries, the skill
	// answers with what it has by 6 s, well within Alexa's 8.
	answerReserve = time.Second
)

// Store is a skill.Store on one DynamoDB table.
type Store struct {
	client *dynamodb.Client
	table  string
	// Budget bounds each call but Complete, RecordPain and DeleteUser, retries and backoff
	// included.
	Budget time.Duration
	// CompleteBudget bounds Complete and RecordPain, retries and backoff included.
	CompleteBudget time.Duration
	// PageSize limits the items read per page when deleting a user; zero means DynamoDB's
	// own limit of 1 MB a page.
	PageSize int32
}

// New returns a store on table. Build it once per process.
func New(client *dynamodb.Client, table string) *Store {
	return &Store{client: client, table: table, Budget: DefaultBudget, CompleteBudget: DefaultCompleteBudget}
}

// Retries of the client NewClient makes. Throttling, 5xx and connection errors, and
// transactions cancelled by throttling or a conflict, are retried until the call's budget
// runs out; each setting is chosen so that the budget, not the SDK, decides when to give up:
//
//   - Backoff: retryDelay, doubling from 25 ms (the SDK's own base for DynamoDB) to a cap of
//     500 ms, with equal jitter. A throttled call tries again at least every half second,
//     so it notices within that when DynamoDB has recovered, and a crowd of throttled calls
//     spreads out instead of retrying in step. The SDK's default for DynamoDB gives up
//     after 4 attempts whatever time is left, and after throttling waits at random up to
//     1 s, then 2 s, then 4 s, which can oversleep a recovery or the whole budget.
//   - maxAttempts: retryDelay's shortest delays add up to more than DefaultCompleteBudget
//     before a 25th attempt, so the count never ends retries the budget allows; it only
//     stops a call without a deadline from retrying for ever.
//   - No retry quota (ratelimit.None). The SDK's default token bucket (500 tokens, 5 taken
//     by each throttled retry) is shared by every call on the client, across concurrent
//     calls and a Lambda instance's successive requests, and once drained it fails calls
//     at once with "retry quota exceeded": a burst of throttling drains it, and then
//     completions are lost just as DynamoDB recovers. The quota guards a service against
//     unbounded retry storms; here each call's retries are bounded already, by its budget
//     and maxAttempts (at most 4 attempts a second once backed off).
const (
	maxAttempts     = 25
	firstRetryDelay = 25 * time.Millisecond
	maxRetryDelay   = 500 * time.Millisecond
)

// NewClient makes the DynamoDB client the store wants, retrying as described above.
func NewClient(cfg aws.Config, optFns ...func(*dynamodb.Options)) *dynamodb.Client {
	retryer := retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.MaxBackoff = maxRetryDelay
		o.Backoff = retry.BackoffDelayerFunc(func(attempt int, _ error) (time.Duration, error) {
			return retryDelay(attempt), nil
		})
		o.RateLimiter = ratelimit.None
		o.Retryables = append(o.Retryables, retry.IsErrorRetryableFunc(retryableCancel))
	})
	opts := append([]func(*dynamodb.Options){func(o *dynamodb.Options) { o.Retryer = retryer }}, optFns...)
	opts = append(opts, withMetrics) // metrics.go: each call's latency and throttles, for the request's metrics
	return dynamodb.NewFromConfig(cfg, opts...)
}

type profileItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	TempoMS   int64  `dynamodbav:"tempoMs,omitempty"`
	NoteHeard bool   `dynamodbav:"noteHeard,omitempty"`
	Zone      string `dynamodbav:"zone,omitempty"`
	LastPain  string `dynamodbav:"lastPain,omitempty"` // timeLayout
	PainNoted bool   `dynamodbav:"painNoted,omitempty"`
}

type placeItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Side      int    `dynamodbav:"side"`
	Move      int    `dynamodbav:"move"`
	ExpiresAt int64  `dynamodbav:"expiresAt"`
}

type completionItem struct {
	PK      string `dynamodbav:"pk"`
	SK      string `dynamodbav:"sk"`
	DoneAt  string `dynamodbav:"doneAt"`
	Day     string `dynamodbav:"day"`
	Zone    string `dynamodbav:"zone"`
	Session string `dynamodbav:"session,omitempty"`
}

// painItem is one stop for pain. Its time is not named doneAt, so it stays out of byTime.
type painItem struct {
	PK string `dynamodbav:"pk"`
	SK string `dynamodbav:"sk"`
	At string `dynamodbav:"at"`
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		AttrPK: &types.AttributeValueMemberS{Value: pk},
		AttrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

func profileOf(userKey string, p skill.Preferences) profileItem {
	item := profileItem{PK: userKey, SK: skProfile, TempoMS: p.Tempo.Milliseconds(), NoteHeard: p.NoteHeard, Zone: p.Zone, PainNoted: p.PainNoted}
	if !p.LastPain.IsZero() {
		item.LastPain = p.LastPain.UTC().Format(timeLayout)
	}
	return item
}

func (item profileItem) preferences() (skill.Preferences, error) {
	p := skill.Preferences{Tempo: time.Duration(item.TempoMS) * time.Millisecond, NoteHeard: item.NoteHeard, Zone: item.Zone, PainNoted: item.PainNoted}
	if item.LastPain != "" {
		at, err := time.Parse(timeLayout, item.LastPain)
		if err != nil {
			return p, fmt.Errorf("lastPain: %w", err)
		}
		p.LastPain = at
	}
	return p, nil
}

// within bounds one call by limit, and by the caller's deadline less answerReserve.
func within(ctx context.Context, limit time.Duration) (context.Context, context.CancelFunc) {
	if deadline, ok := ctx.Deadline(); ok {
		if end := deadline.Add(-answerReserve); time.Until(end) < limit {
			return context.WithDeadline(ctx, end)
		}
	}
	return context.WithTimeout(ctx, limit)
}

// User reads the profile and the place in one BatchGetItem.
func (s *Store) User(ctx context.Context, userKey string) (skill.User, error) {
	ctx, cancel := within(ctx, s.Budget)
	defer cancel()
	keys := &types.KeysAndAttributes{
		Keys:           []map[string]types.AttributeValue{key(userKey, skProfile), key(userKey, skPlace)},
		ConsistentRead: aws.Bool(true),
	}
	var items []map[string]types.AttributeValue
	for attempt := 0; keys != nil && len(keys.Keys) > 0; attempt++ {
		if attempt > 0 {
			if err := backoff(ctx, attempt); err != nil {
				return skill.User{}, fmt.Errorf("get user: %w", err)
			}
		}
		out, err := s.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{s.table: *keys}})
		if err != nil {
			return skill.User{}, fmt.Errorf("get user: %w", err)
		}
		items = append(items, out.Responses[s.table]...)
		keys = nil
		if rest, ok := out.UnprocessedKeys[s.table]; ok {
			keys = &rest
		}
	}
	if len(items) == 0 {
		return skill.User{}, skill.ErrNotFound
	}
	var u skill.User
	for _, item := range items {
		sk, _ := item[AttrSK].(*types.AttributeValueMemberS)
		if sk == nil {
			continue
		}
		switch sk.Value {
		case skProfile:
			var p profileItem
			if err := attributevalue.UnmarshalMap(item, &p); err != nil {
				return skill.User{}, fmt.Errorf("decode profile: %w", err)
			}
			prefs, err := p.preferences()
			if err != nil {
				return skill.User{}, fmt.Errorf("decode profile: %w", err)
			}
			u.Preferences = prefs
		case skPlace:
			var p placeItem
			if err := attributevalue.UnmarshalMap(item, &p); err != nil {
				return skill.User{}, fmt.Errorf("decode place: %w", err)
			}
			u.Paused = &skill.Place{Side: p.Side, Move: p.Move, Expires: time.Unix(p.ExpiresAt, 0).UTC()}
		}
	}
	return u, nil
}

func (s *Store) put(ctx context.Context, item any) error {
	ctx, cancel := within(ctx, s.Budget)
	defer cancel()
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return err
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: av})
	return err
}

// SavePreferences puts the profile item.
func (s *Store) SavePreferences(ctx context.Context, userKey string, p skill.Preferences) error {
	if err := s.put(ctx, profileOf(userKey, p)); err != nil {
		return fmt.Errorf("save preferences: %w", err)
	}
	return nil
}

// SavePlace puts the place item; DynamoDB's TTL deletes it some time after it expires.
func (s *Store) SavePlace(ctx context.Context, userKey string, p skill.Place) error {
	if err := s.put(ctx, placeItem{PK: userKey, SK: skPlace, Side: p.Side, Move: p.Move, ExpiresAt: p.Expires.Unix()}); err != nil {
		return fmt.Errorf("save place: %w", err)
	}
	return nil
}

// ForgetPlace deletes the place item, which need not exist.
func (s *Store) ForgetPlace(ctx context.Context, userKey string) error {
	ctx, cancel := within(ctx, s.Budget)
	defer cancel()
	if _, err := s.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.table), Key: key(userKey, skPlace)}); err != nil {
		return fmt.Errorf("forget place: %w", err)
	}
	return nil
}

// Complete writes the completion (only if its ID is new), the profile, and deletes the
// place, in one TransactWriteItems.
func (s *Store) Complete(ctx context.Context, userKey string, c skill.Completion, p skill.Preferences) error {
	done, err := attributevalue.MarshalMap(completionItem{
		PK: userKey, SK: doneSKPrefix + c.ID, DoneAt: c.At.UTC().Format(timeLayout), Day: c.Day, Zone: c.Zone, Session: c.SessionID,
	})
	if err != nil {
		return fmt.Errorf("record completion: %w", err)
	}
	err = s.finish(ctx, userKey, types.Put{Item: done, ConditionExpression: aws.String("attribute_not_exists(" + AttrPK + ")")}, p)
	if alreadyRecorded(err) {
		return nil // a repeated request
	}
	if err != nil {
		return fmt.Errorf("record completion: %w", err)
	}
	return nil
}

// RecordPain writes a pain record at p.LastPain, the profile, and deletes the place, in one
// TransactWriteItems. The record's sort key is its time, so the same stop written twice is
// one record.
func (s *Store) RecordPain(ctx context.Context, userKey string, p skill.Preferences) error {
	if p.LastPain.IsZero() {
		return errors.New("record pain: no time given")
	}
	at := p.LastPain.UTC().Format(timeLayout)
	pain, err := attributevalue.MarshalMap(painItem{PK: userKey, SK: painSKPrefix + at, At: at})
	if err != nil {
		return fmt.Errorf("record pain: %w", err)
	}
	if err := s.finish(ctx, userKey, types.Put{Item: pain}, p); err != nil {
		return fmt.Errorf("record pain: %w", err)
	}
	return nil
}

// finish is how a routine ends in the table: one TransactWriteItems that puts record (a
// completion or a pain record), puts the profile with p and deletes the place, bounded by
// CompleteBudget. The record comes first, so that alreadyRecorded can read its condition's
// failure.
func (s *Store) finish(ctx context.Context, userKey string, record types.Put, p skill.Preferences) error {
	ctx, cancel := within(ctx, s.CompleteBudget)
	defer cancel()
	profile, err := attributevalue.MarshalMap(profileOf(userKey, p))
	if err != nil {
		return err
	}
	record.TableName = aws.String(s.table)
	_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &record},
		{Put: &types.Put{TableName: aws.String(s.table), Item: profile}},
		{Delete: &types.Delete{TableName: aws.String(s.table), Key: key(userKey, skPlace)}},
	}})
	return err
}

// alreadyRecorded reports whether err is Complete's transaction cancelled because the
// completion is stored already.
func alreadyRecorded(err error) bool {
	var canceled *types.TransactionCanceledException
	return errors.As(err, &canceled) && len(canceled.CancellationReasons) > 0 &&
		aws.ToString(canceled.CancellationReasons[0].Code) == "ConditionalCheckFailed"
}

// retryableCancel makes the retryer try a cancelled transaction again when an item was
// throttled or written at the same moment by another transaction (the same user finishing
// on two devices), but not when the completion is stored already.
func retryableCancel(err error) aws.Ternary {
	var canceled *types.TransactionCanceledException
	if !errors.As(err, &canceled) || alreadyRecorded(err) {
		return aws.UnknownTernary
	}
	for _, r := range canceled.CancellationReasons {
		switch aws.ToString(r.Code) {
		case "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded":
			return aws.TrueTernary
		}
	}
	return aws.UnknownTernary
}

// CountCompletions counts items of the byTime index in [from, to): a strongly consistent,
// keys-only Query with Select COUNT.
func (s *Store) CountCompletions(ctx context.Context, userKey string, from, to time.Time) (int, error) {
	ctx, cancel := within(ctx, s.Budget)
	defer cancel()
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		IndexName:              aws.String(IndexByTime),
		KeyConditionExpression: aws.String("#pk = :pk AND #at BETWEEN :from AND :to"),
		ExpressionAttributeNames: map[string]string{
			"#pk": AttrPK, "#at": AttrDoneAt,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":   &types.AttributeValueMemberS{Value: userKey},
			":from": &types.AttributeValueMemberS{Value: from.UTC().Format(timeLayout)},
			":to":   &types.AttributeValueMemberS{Value: to.Add(-time.Millisecond).UTC().Format(timeLayout)},
		},
		Select:         types.SelectCount,
		ConsistentRead: aws.Bool(true),
	}
	n := 0
	for pages := dynamodb.NewQueryPaginator(s.client, in); pages.HasMorePages(); {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return 0, fmt.Errorf("count completions: %w", err)
		}
		n += int(out.Count)
	}
	return n, nil
}

// DeleteUser queries every item of the user's partition, page by page, and deletes them in
// batches of 25. It is not bounded by Budget: it answers an event, not a person.
func (s *Store) DeleteUser(ctx context.Context, userKey string) error {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": AttrPK, "#sk": AttrSK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: userKey}},
		ProjectionExpression:      aws.String("#pk, #sk"),
		ConsistentRead:            aws.Bool(true),
	}
	pages := dynamodb.NewQueryPaginator(s.client, in, func(o *dynamodb.QueryPaginatorOptions) { o.Limit = s.PageSize })
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("delete user: list items: %w", err)
		}
		for start := 0; start < len(out.Items); start += 25 {
			if err := s.deleteBatch(ctx, out.Items[start:min(start+25, len(out.Items))]); err != nil {
				return fmt.Errorf("delete user: %w", err)
			}
		}
	}
	return nil
}

func (s *Store) deleteBatch(ctx context.Context, keys []map[string]types.AttributeValue) error {
	requests := make([]types.WriteRequest, len(keys))
	for i, k := range keys {
		requests[i] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k}}
	}
	for attempt := 0; len(requests) > 0; attempt++ {
		if attempt > 0 {
			if err := backoff(ctx, attempt); err != nil {
				return err
			}
		}
		out, err := s.client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{s.table: requests}})
		if err != nil {
			return err
		}
		requests = out.UnprocessedItems[s.table]
	}
	return nil
}

// retryDelay is the wait before retry n (1, 2, ...): doubling from firstRetryDelay up to
// maxRetryDelay, of which it is a random half to the whole.
func retryDelay(n int) time.Duration {
	d := retryCeiling(n)
	return d/2 + rand.N(d/2+1)
}

func retryCeiling(n int) time.Duration {
	return min(firstRetryDelay<<max(0, min(n-1, 10)), maxRetryDelay)
}

// backoff waits retryDelay(n), or until ctx is done, so that the store's own retries of
// unprocessed batch items wait as the SDK's retryer does.
func backoff(ctx context.Context, n int) error {
	t := time.NewTimer(retryDelay(n))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// String describes the store, for the console's banner.
func (s *Store) String() string {
	return "DynamoDB table " + strconv.Quote(s.table)
}
