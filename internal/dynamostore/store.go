package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
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

// Sort keys: the profile's, the place's, the history's and the tombstone's, and the
// prefixes of completions, pain records and a person's items.
const (
	skProfile      = "PROFILE"
	skPlace        = "PLACE"
	skHistory      = "HISTORY"
	skGone         = "GONE"
	doneSKPrefix   = "DONE#"
	painSKPrefix   = "PAIN#"
	personSKPrefix = "P#"
	timeLayout     = "2006-01-02T15:04:05.000Z" // fixed width, so text order is time order
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

// Retries of the client NewClient makes. Throttling, 5xx and connection errors,
// transactions cancelled by throttling or a conflict, and a write refused because a
// transaction was under way on its item (TransactionConflictException: DeleteUser's
// tombstone while a write checks it) are retried until the call's budget runs out; each
// setting is chosen so that the budget, not the SDK, decides when to give up:
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
		o.Retryables = append(o.Retryables, retry.IsErrorRetryableFunc(retryableCancel),
			retry.RetryableErrorCode{Codes: map[string]struct{}{"TransactionConflictException": {}}})
	})
	opts := append([]func(*dynamodb.Options){func(o *dynamodb.Options) { o.Retryer = retryer }}, optFns...)
	opts = append(opts, withMetrics) // metrics.go: each call's latency and throttles, for the request's metrics
	return dynamodb.NewFromConfig(cfg, opts...)
}

// where is a user's place in the table: everything of an account and of its persons is in
// the account's partition, a person's items under sort keys of their own.
type where struct {
	pk     string // the account's key
	prefix string // "" for the account itself, "P#<person>#" for a person of it
}

// locate finds a user key's items: an account's key ("<account>") or a person's
// ("<account>.<person>", as skill.PersonKey makes it).
func locate(userKey string) where {
	account, person, isPerson := strings.Cut(userKey, ".")
	if !isPerson {
		return where{pk: account}
	}
	return where{pk: account, prefix: personSKPrefix + person + "#"}
}

// key is the key of the user's item sk.
func (w where) key(sk string) map[string]types.AttributeValue {
	return key(w.pk, w.prefix+sk)
}

type profileItem struct {
	PK               string         `dynamodbav:"pk"`
	SK               string         `dynamodbav:"sk"`
	TempoMS          int64          `dynamodbav:"tempoMs,omitempty"`
	NoteHeard        bool           `dynamodbav:"noteHeard,omitempty"`
	Zone             string         `dynamodbav:"zone,omitempty"`
	LastPain         string         `dynamodbav:"lastPain,omitempty"` // timeLayout
	PainNoted        bool           `dynamodbav:"painNoted,omitempty"`
	SoundsOff        bool           `dynamodbav:"soundsOff,omitempty"`
	TipsHeard        uint64         `dynamodbav:"tipsHeard,omitempty"`
	Reminders        []reminderItem `dynamodbav:"reminders,omitempty"`
	RemindersOffered bool           `dynamodbav:"remindersOffered,omitempty"`
}

type reminderItem struct {
	Token  string `dynamodbav:"token"`
	Hour   int    `dynamodbav:"hour"`
	Minute int    `dynamodbav:"minute,omitempty"`
}

type placeItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Side      int    `dynamodbav:"side"`
	Move      int    `dynamodbav:"move"`
	ExpiresAt int64  `dynamodbav:"expiresAt"`
}

// historyItem is skill.History in a few hundred bytes at most: Days as one string, newest
// first ("2026-11-23:2,2026-11-22:1").
type historyItem struct {
	PK      string `dynamodbav:"pk"`
	SK      string `dynamodbav:"sk"`
	Days    string `dynamodbav:"days,omitempty"`
	Run     int    `dynamodbav:"run"`
	Longest int    `dynamodbav:"longest"`
	Total   int    `dynamodbav:"total"`
	LastAt  string `dynamodbav:"lastAt,omitempty"` // timeLayout
	Version int64  `dynamodbav:"version"`
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

// goneItem is an account's tombstone. The table's TTL deletes it some time after
// ExpiresAt, which may be days later: until then the store reads ExpiresAt itself.
type goneItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	ExpiresAt int64  `dynamodbav:"expiresAt"`
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		AttrPK: &types.AttributeValueMemberS{Value: pk},
		AttrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

func number(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

func profileOf(w where, p skill.Preferences) profileItem {
	item := profileItem{PK: w.pk, SK: w.prefix + skProfile, TempoMS: p.Tempo.Milliseconds(), NoteHeard: p.NoteHeard, Zone: p.Zone,
		PainNoted: p.PainNoted, SoundsOff: p.SoundsOff, TipsHeard: p.TipsHeard, RemindersOffered: p.RemindersOffered}
	if !p.LastPain.IsZero() {
		item.LastPain = p.LastPain.UTC().Format(timeLayout)
	}
	for _, r := range p.Reminders {
		item.Reminders = append(item.Reminders, reminderItem{Token: r.Token, Hour: r.Hour, Minute: r.Minute})
	}
	return item
}

func (item profileItem) preferences() (skill.Preferences, error) {
	p := skill.Preferences{Tempo: time.Duration(item.TempoMS) * time.Millisecond, NoteHeard: item.NoteHeard, Zone: item.Zone,
		PainNoted: item.PainNoted, SoundsOff: item.SoundsOff, TipsHeard: item.TipsHeard, RemindersOffered: item.RemindersOffered}
	if item.LastPain != "" {
		at, err := time.Parse(timeLayout, item.LastPain)
		if err != nil {
			return p, fmt.Errorf("lastPain: %w", err)
		}
		p.LastPain = at
	}
	for _, r := range item.Reminders {
		p.Reminders = append(p.Reminders, skill.Reminder{Token: r.Token, Hour: r.Hour, Minute: r.Minute})
	}
	return p, nil
}

func historyOf(w where, h skill.History) historyItem {
	days := make([]string, len(h.Days))
	for i, d := range h.Days {
		days[i] = d.Date + ":" + strconv.Itoa(d.Count)
	}
	item := historyItem{PK: w.pk, SK: w.prefix + skHistory, Days: strings.Join(days, ","), Run: h.Run, Longest: h.Longest, Total: h.Total, Version: h.Version}
	if !h.LastAt.IsZero() {
		item.LastAt = h.LastAt.UTC().Format(timeLayout)
	}
	return item
}

func (item historyItem) history() (skill.History, error) {
	h := skill.History{Run: item.Run, Longest: item.Longest, Total: item.Total, Version: item.Version}
	if item.Days != "" {
		for day := range strings.SplitSeq(item.Days, ",") {
			date, count, _ := strings.Cut(day, ":")
			n, err := strconv.Atoi(count)
			if err != nil {
				return h, fmt.Errorf("days: %q: %w", day, err)
			}
			h.Days = append(h.Days, skill.Day{Date: date, Count: n})
		}
	}
	if item.LastAt != "" {
		at, err := time.Parse(timeLayout, item.LastAt)
		if err != nil {
			return h, fmt.Errorf("lastAt: %w", err)
		}
		h.LastAt = at
	}
	return h, nil
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

// User reads the profile, the place, the history and the account's tombstone in one
// BatchGetItem: four items of well under 4 KB each, whatever the length of the history.
// A user whose account has a tombstone is not found, even while DeleteUser is still
// erasing what they had.
func (s *Store) User(ctx context.Context, userKey string) (skill.User, error) {
	ctx, cancel := within(ctx, s.Budget)
	defer cancel()
	w := locate(userKey)
	keys := &types.KeysAndAttributes{
		Keys:           []map[string]types.AttributeValue{w.key(skProfile), w.key(skPlace), w.key(skHistory), key(w.pk, skGone)},
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
	var u skill.User
	known := false
	for _, item := range items {
		sk, _ := item[AttrSK].(*types.AttributeValueMemberS)
		if sk == nil {
			continue
		}
		switch sk.Value {
		case w.prefix + skProfile:
			var p profileItem
			if err := attributevalue.UnmarshalMap(item, &p); err != nil {
				return skill.User{}, fmt.Errorf("decode profile: %w", err)
			}
			prefs, err := p.preferences()
			if err != nil {
				return skill.User{}, fmt.Errorf("decode profile: %w", err)
			}
			u.Preferences, known = prefs, true
		case w.prefix + skPlace:
			var p placeItem
			if err := attributevalue.UnmarshalMap(item, &p); err != nil {
				return skill.User{}, fmt.Errorf("decode place: %w", err)
			}
			u.Paused, known = &skill.Place{Side: p.Side, Move: p.Move, Expires: time.Unix(p.ExpiresAt, 0).UTC()}, true
		case w.prefix + skHistory:
			var h historyItem
			if err := attributevalue.UnmarshalMap(item, &h); err != nil {
				return skill.User{}, fmt.Errorf("decode history: %w", err)
			}
			history, err := h.history()
			if err != nil {
				return skill.User{}, fmt.Errorf("decode history: %w", err)
			}
			u.History, known = history, true
		case skGone:
			var g goneItem
			if err := attributevalue.UnmarshalMap(item, &g); err != nil {
				return skill.User{}, fmt.Errorf("decode tombstone: %w", err)
			}
			if time.Now().Unix() < g.ExpiresAt {
				return skill.User{}, skill.ErrNotFound
			}
		}
	}
	if !known {
		return skill.User{}, skill.ErrNotFound
	}
	return u, nil
}

// put is a TransactWriteItems item putting item, on condition (which may name #pk, the
// partition key) unless that is empty.
func (s *Store) put(item any, condition string) (types.TransactWriteItem, error) {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	put := &types.Put{TableName: aws.String(s.table), Item: av}
	if condition != "" {
		put.ConditionExpression = aws.String(condition)
		put.ExpressionAttributeNames = map[string]string{"#pk": AttrPK}
	}
	return types.TransactWriteItem{Put: put}, nil
}

func (s *Store) deletePlace(w where) types.TransactWriteItem {
	return types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(s.table), Key: w.key(skPlace)}}
}

// notGone is the check every write makes, in the same transaction: the account has no
// tombstone, or one past its expiry. The expiry is compared with this process's clock, as
// DynamoDB's TTL may leave an expired item for days.
func (s *Store) notGone(w where) types.TransactWriteItem {
	return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName:                 aws.String(s.table),
		Key:                       key(w.pk, skGone),
		ConditionExpression:       aws.String("attribute_not_exists(#pk) OR #expiresAt <= :now"),
		ExpressionAttributeNames:  map[string]string{"#pk": AttrPK, "#expiresAt": AttrExpiresAt},
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": number(time.Now().Unix())},
	}}
}

// transact writes items as one TransactWriteItems, bounded by limit, after notGone: the
// tombstone check is the transaction's item 0, and items are 1, 2 and so on, as
// conditionFailed counts them.
func (s *Store) transact(ctx context.Context, limit time.Duration, w where, items ...types.TransactWriteItem) error {
	ctx, cancel := within(ctx, limit)
	defer cancel()
	_, err := s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: append([]types.TransactWriteItem{s.notGone(w)}, items...),
	})
	return err
}

// conditionFailed reports whether err is a transaction cancelled because the condition of
// its item i failed. DynamoDB gives a reason for every item, so more than one may have.
func conditionFailed(err error, i int) bool {
	var canceled *types.TransactionCanceledException
	return errors.As(err, &canceled) && i < len(canceled.CancellationReasons) &&
		aws.ToString(canceled.CancellationReasons[i].Code) == "ConditionalCheckFailed"
}

// write is a write of one item, bounded by Budget: item in a TransactWriteItems after
// notGone, which is one request still.
func (s *Store) write(ctx context.Context, userKey, what string, item func(w where) (types.TransactWriteItem, error)) error {
	w := locate(userKey)
	it, err := item(w)
	if err == nil {
		err = s.transact(ctx, s.Budget, w, it)
	}
	if conditionFailed(err, 0) {
		err = skill.ErrGone
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// SavePreferences puts the profile item.
func (s *Store) SavePreferences(ctx context.Context, userKey string, p skill.Preferences) error {
	return s.write(ctx, userKey, "save preferences", func(w where) (types.TransactWriteItem, error) {
		return s.put(profileOf(w, p), "")
	})
}

// SavePlace puts the place item; DynamoDB's TTL deletes it some time after it expires.
func (s *Store) SavePlace(ctx context.Context, userKey string, p skill.Place) error {
	return s.write(ctx, userKey, "save place", func(w where) (types.TransactWriteItem, error) {
		return s.put(placeItem{PK: w.pk, SK: w.prefix + skPlace, Side: p.Side, Move: p.Move, ExpiresAt: p.Expires.Unix()}, "")
	})
}

// ForgetPlace deletes the place item, which need not exist.
func (s *Store) ForgetPlace(ctx context.Context, userKey string) error {
	return s.write(ctx, userKey, "forget place", func(w where) (types.TransactWriteItem, error) {
		return s.deletePlace(w), nil
	})
}

// Complete writes, in one TransactWriteItems bounded by CompleteBudget, the completion
// (only if its ID is new), the history (only if the stored one is h's predecessor), the
// profile, and deletes the place. The transaction's cancellation reasons say which
// condition failed: a repeated completion is told first, then a tombstone, then a conflict.
func (s *Store) Complete(ctx context.Context, userKey string, c skill.Completion, p skill.Preferences, h skill.History) (bool, error) {
	w := locate(userKey)
	done, err := s.put(completionItem{
		PK: w.pk, SK: w.prefix + doneSKPrefix + c.ID, DoneAt: c.At.UTC().Format(timeLayout), Day: c.Day, Zone: c.Zone, Session: c.SessionID,
	}, "attribute_not_exists(#pk)")
	if err != nil {
		return false, fmt.Errorf("record completion: %w", err)
	}
	history, err := s.put(historyOf(w, h), "attribute_not_exists(#pk)")
	if err != nil {
		return false, fmt.Errorf("record completion: %w", err)
	}
	if h.Version != 1 { // no stored history is version 0
		history.Put.ConditionExpression = aws.String("#version = :previous")
		history.Put.ExpressionAttributeNames = map[string]string{"#version": "version"}
		history.Put.ExpressionAttributeValues = map[string]types.AttributeValue{":previous": number(h.Version - 1)}
	}
	profile, err := s.put(profileOf(w, p), "")
	if err != nil {
		return false, fmt.Errorf("record completion: %w", err)
	}
	err = s.transact(ctx, s.CompleteBudget, w, done, history, profile, s.deletePlace(w))
	switch {
	case conditionFailed(err, 1):
		return false, nil // a repeated request
	case conditionFailed(err, 0):
		return false, fmt.Errorf("record completion: %w", skill.ErrGone)
	case conditionFailed(err, 2):
		return false, fmt.Errorf("record completion: %w", skill.ErrConflict)
	case err != nil:
		return false, fmt.Errorf("record completion: %w", err)
	}
	return true, nil
}

// RecordPain writes a pain record at p.LastPain, the profile, and deletes the place, in one
// TransactWriteItems bounded by CompleteBudget. The record's sort key is its time, so the
// same stop written twice is one record.
func (s *Store) RecordPain(ctx context.Context, userKey string, p skill.Preferences) error {
	if p.LastPain.IsZero() {
		return errors.New("record pain: no time given")
	}
	w := locate(userKey)
	at := p.LastPain.UTC().Format(timeLayout)
	pain, err := s.put(painItem{PK: w.pk, SK: w.prefix + painSKPrefix + at, At: at}, "")
	if err != nil {
		return fmt.Errorf("record pain: %w", err)
	}
	profile, err := s.put(profileOf(w, p), "")
	if err != nil {
		return fmt.Errorf("record pain: %w", err)
	}
	err = s.transact(ctx, s.CompleteBudget, w, pain, profile, s.deletePlace(w))
	if conditionFailed(err, 0) {
		err = skill.ErrGone
	}
	if err != nil {
		return fmt.Errorf("record pain: %w", err)
	}
	return nil
}

// retryableCancel makes the retryer try a cancelled transaction again when an item was
// throttled or written at the same moment by another transaction (the same user finishing
// on two devices, or DeleteUser's tombstone going in), but not when a condition failed: a
// repeated completion, a changed history or a tombstone, which trying again cannot change.
func retryableCancel(err error) aws.Ternary {
	var canceled *types.TransactionCanceledException
	if !errors.As(err, &canceled) {
		return aws.UnknownTernary
	}
	retry := aws.UnknownTernary
	for _, r := range canceled.CancellationReasons {
		switch aws.ToString(r.Code) {
		case "ConditionalCheckFailed":
			return aws.UnknownTernary
		case "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded":
			retry = aws.TrueTernary
		}
	}
	return retry
}

// CountCompletions counts items of the byTime index in [from, to) whose sort key is one of
// the user's completions (the index holds the whole account's): a strongly consistent,
// keys-only Query with Select COUNT.
func (s *Store) CountCompletions(ctx context.Context, userKey string, from, to time.Time) (int, error) {
	ctx, cancel := within(ctx, s.Budget)
	defer cancel()
	w := locate(userKey)
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		IndexName:              aws.String(IndexByTime),
		KeyConditionExpression: aws.String("#pk = :pk AND #at BETWEEN :from AND :to"),
		FilterExpression:       aws.String("begins_with(#sk, :done)"),
		ExpressionAttributeNames: map[string]string{
			"#pk": AttrPK, "#at": AttrDoneAt, "#sk": AttrSK,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":   &types.AttributeValueMemberS{Value: w.pk},
			":from": &types.AttributeValueMemberS{Value: from.UTC().Format(timeLayout)},
			":to":   &types.AttributeValueMemberS{Value: to.Add(-time.Millisecond).UTC().Format(timeLayout)},
			":done": &types.AttributeValueMemberS{Value: w.prefix + doneSKPrefix},
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

// DeleteUser puts the account's tombstone (a person's key erases the account it belongs
// to), then queries every other item of the account's partition, its persons' included,
// page by page, and deletes them in batches of 25. It is not bounded by Budget: it answers
// an event, not a person.
//
// The order makes it safe against writes racing it. Every write checks the tombstone in
// its own transaction, which DynamoDB serializes with the tombstone's PutItem: a write
// ordered after it is refused, and one ordered before it has committed by the time the
// PutItem returns, so the strongly consistent Query that follows finds what it wrote.
func (s *Store) DeleteUser(ctx context.Context, userKey string) error {
	pk := locate(userKey).pk
	gone, err := attributevalue.MarshalMap(goneItem{PK: pk, SK: skGone, ExpiresAt: time.Now().Add(skill.TombstoneLifetime).Unix()})
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	if _, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: gone}); err != nil {
		return fmt.Errorf("delete user: tombstone: %w", err)
	}
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": AttrPK, "#sk": AttrSK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		ProjectionExpression:      aws.String("#pk, #sk"),
		ConsistentRead:            aws.Bool(true),
	}
	pages := dynamodb.NewQueryPaginator(s.client, in, func(o *dynamodb.QueryPaginatorOptions) { o.Limit = s.PageSize })
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("delete user: list items: %w", err)
		}
		keys := slices.DeleteFunc(out.Items, func(k map[string]types.AttributeValue) bool {
			sk, _ := k[AttrSK].(*types.AttributeValueMemberS)
			return sk != nil && sk.Value == skGone
		})
		for start := 0; start < len(keys); start += 25 {
			if err := s.deleteBatch(ctx, keys[start:min(start+25, len(keys))]); err != nil {
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
