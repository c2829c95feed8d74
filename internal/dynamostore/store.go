package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/spine-opener/spine-opener/internal/skill"
)

var _ skill.Store = (*Store)(nil)

// Sort keys of the items other than completions.
const (
	skProfile    = "PROFILE"
	skPlace      = "PLACE"
	doneSKPrefix = "DONE#"
	timeLayout   = "2006-01-02T15:04:05.000Z" // fixed width, so text order is time order
)

// DefaultBudget bounds each store call, retries included, so that a request with a couple
// of calls and a time zone lookup still answers well within Alexa's 8 seconds.
const DefaultBudget = 2 * time.Second

// Store is a skill.Store on one DynamoDB table.
type Store struct {
	client *dynamodb.Client
	table  string
	// Budget bounds each call, retries and backoff included.
	Budget time.Duration
	// PageSize limits the items read per page when deleting a user; zero means DynamoDB's
	// own limit of 1 MB a page.
	PageSize int32
}

// New returns a store on table. Build it once per process.
func New(client *dynamodb.Client, table string) *Store {
	return &Store{client: client, table: table, Budget: DefaultBudget}
}

// NewClient makes the DynamoDB client the store wants: throttling and 5xx errors are
// retried with short, jittered backoff and no retry quota, and the store's budget, not the
// attempt count, decides when to give up.
func NewClient(cfg aws.Config, optFns ...func(*dynamodb.Options)) *dynamodb.Client {
	retryer := retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 10
		o.MaxBackoff = 250 * time.Millisecond
		o.RateLimiter = noQuota{}
	})
	opts := append([]func(*dynamodb.Options){func(o *dynamodb.Options) { o.Retryer = retryer }}, optFns...)
	return dynamodb.NewFromConfig(cfg, opts...)
}

// noQuota lets every retry through: under a burst of throttling the client-side quota
// would otherwise turn retryable errors into failures for everyone at once.
type noQuota struct{}

// GetToken always grants the retry.
func (noQuota) GetToken(context.Context, uint) (func() error, error) {
	return func() error { return nil }, nil
}

// AddTokens has nothing to refill.
func (noQuota) AddTokens(uint) error { return nil }

type profileItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	TempoMS   int64  `dynamodbav:"tempoMs,omitempty"`
	NoteHeard bool   `dynamodbav:"noteHeard,omitempty"`
	Zone      string `dynamodbav:"zone,omitempty"`
}

type placeItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Side      int    `dynamodbav:"side"`
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

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		AttrPK: &types.AttributeValueMemberS{Value: pk},
		AttrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

func profileOf(userKey string, p skill.Preferences) profileItem {
	return profileItem{PK: userKey, SK: skProfile, TempoMS: p.Tempo.Milliseconds(), NoteHeard: p.NoteHeard, Zone: p.Zone}
}

func (s *Store) budget(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.Budget)
}

// User reads the profile and the place in one BatchGetItem.
func (s *Store) User(ctx context.Context, userKey string) (skill.User, error) {
	ctx, cancel := s.budget(ctx)
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
			u.Preferences = skill.Preferences{Tempo: time.Duration(p.TempoMS) * time.Millisecond, NoteHeard: p.NoteHeard, Zone: p.Zone}
		case skPlace:
			var p placeItem
			if err := attributevalue.UnmarshalMap(item, &p); err != nil {
				return skill.User{}, fmt.Errorf("decode place: %w", err)
			}
			u.Paused = &skill.Place{Side: p.Side, Expires: time.Unix(p.ExpiresAt, 0).UTC()}
		}
	}
	return u, nil
}

func (s *Store) put(ctx context.Context, item any) error {
	ctx, cancel := s.budget(ctx)
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
	if err := s.put(ctx, placeItem{PK: userKey, SK: skPlace, Side: p.Side, ExpiresAt: p.Expires.Unix()}); err != nil {
		return fmt.Errorf("save place: %w", err)
	}
	return nil
}

// Complete writes the completion (only if its ID is new), the profile, and deletes the
// place, in one TransactWriteItems.
func (s *Store) Complete(ctx context.Context, userKey string, c skill.Completion, p skill.Preferences) error {
	ctx, cancel := s.budget(ctx)
	defer cancel()
	done, err := attributevalue.MarshalMap(completionItem{
		PK: userKey, SK: doneSKPrefix + c.ID, DoneAt: c.At.UTC().Format(timeLayout), Day: c.Day, Zone: c.Zone, Session: c.SessionID,
	})
	if err != nil {
		return fmt.Errorf("record completion: %w", err)
	}
	profile, err := attributevalue.MarshalMap(profileOf(userKey, p))
	if err != nil {
		return fmt.Errorf("record completion: %w", err)
	}
	in := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.table), Item: done, ConditionExpression: aws.String("attribute_not_exists(" + AttrPK + ")")}},
		{Put: &types.Put{TableName: aws.String(s.table), Item: profile}},
		{Delete: &types.Delete{TableName: aws.String(s.table), Key: key(userKey, skPlace)}},
	}}
	for attempt := 0; ; attempt++ {
		_, err := s.client.TransactWriteItems(ctx, in)
		var canceled *types.TransactionCanceledException
		if !errors.As(err, &canceled) {
			if err != nil {
				return fmt.Errorf("record completion: %w", err)
			}
			return nil
		}
		if len(canceled.CancellationReasons) > 0 && aws.ToString(canceled.CancellationReasons[0].Code) == "ConditionalCheckFailed" {
			return nil // already recorded: a repeated request
		}
		if !retryableCancel(canceled) {
			return fmt.Errorf("record completion: %w", err)
		}
		// Another write to this user's profile at the same moment (two devices): try again.
		if err := backoff(ctx, attempt+1); err != nil {
			return fmt.Errorf("record completion: %w", errors.Join(canceled, err))
		}
	}
}

func retryableCancel(e *types.TransactionCanceledException) bool {
	for _, r := range e.CancellationReasons {
		switch aws.ToString(r.Code) {
		case "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded":
			return true
		}
	}
	return false
}

// CountCompletions counts items of the byTime index in [from, to): a strongly consistent,
// keys-only Query with Select COUNT.
func (s *Store) CountCompletions(ctx context.Context, userKey string, from, to time.Time) (int, error) {
	ctx, cancel := s.budget(ctx)
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

// backoff waits before retry attempt n (1, 2, ...): jittered, doubling from 20 ms up to
// 250 ms, or until ctx is done.
func backoff(ctx context.Context, n int) error {
	d := min(20*time.Millisecond<<min(n-1, 4), 250*time.Millisecond)
	d = d/2 + rand.N(d/2+1)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// String describes the store, for the console's banner.
func (s *Store) String() string {
	return "DynamoDB table " + strconv.Quote(s.table)
}
