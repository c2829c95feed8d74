package dynamostore_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/spine-opener/spine-opener/internal/dynamostore"
	"github.com/spine-opener/spine-opener/internal/skill"
)

// shape is an item as the table's documentation describes it: its sort key, with IDs and
// times in angle brackets, and its attributes with their types.
func shape(item map[string]types.AttributeValue, person string) string {
	sk := item[dynamostore.AttrSK].(*types.AttributeValueMemberS).Value
	sk = strings.Replace(sk, person, "<person>", 1)
	for _, prefix := range []string{"DONE#", "PAIN#"} {
		if i := strings.Index(sk, prefix); i >= 0 {
			sk = sk[:i+len(prefix)] + "<…>"
		}
	}
	var attrs []string
	for _, name := range slices.Sorted(maps.Keys(item)) {
		if name == dynamostore.AttrPK || name == dynamostore.AttrSK {
			continue
		}
		var kind string
		switch v := item[name].(type) {
		case *types.AttributeValueMemberS:
			kind = "S"
		case *types.AttributeValueMemberN:
			kind = "N"
		case *types.AttributeValueMemberBOOL:
			kind = "BOOL"
		case *types.AttributeValueMemberL:
			kind = "L"
			if len(v.Value) > 0 {
				if m, ok := v.Value[0].(*types.AttributeValueMemberM); ok {
					kind = "L of M {" + strings.Join(slices.Sorted(maps.Keys(m.Value)), " ") + "}"
				}
			}
		default:
			kind = fmt.Sprintf("%T", v)
		}
		attrs = append(attrs, name+" ("+kind+")")
	}
	return sk + ": " + strings.Join(attrs, ", ")
}

// TestItemShapes holds the table's items to what the package documentation says of them,
// for an account and a person of it with everything stored, and a tombstone.
func TestItemShapes(t *testing.T) {
	ctx := context.Background()
	store, rec := newTable(t)
	at := time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)
	prefs := skill.Preferences{Tempo: 5 * time.Second, NoteHeard: true, Zone: "UTC", LastPain: at, PainNoted: true,
		SoundsOff: true, TipsHeard: 3, Reminders: []skill.Reminder{{Token: "t1", Hour: 7, Minute: 30}}, RemindersOffered: true}
	person := strings.Repeat("ab", 32)
	for _, key := range []string{"acct", "acct." + person} {
		c := skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC", SessionID: "s1"}
		if _, err := store.Complete(ctx, key, c, prefs, skill.History{}.With(c)); err != nil {
			t.Fatal(err)
		}
		if err := store.RecordPain(ctx, key, prefs); err != nil {
			t.Fatal(err)
		}
		if err := store.SavePlace(ctx, key, skill.Place{Side: 2, Move: 1, Expires: at.Add(skill.PlaceLifetime)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.DeleteUser(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pk := range []string{"acct", "gone"} {
		for _, item := range partition(t, rec.table, pk) {
			got = append(got, pk+" "+shape(item, person))
		}
	}
	profile := "lastPain (S), noteHeard (BOOL), painNoted (BOOL), reminders (L of M {hour minute token}), remindersOffered (BOOL), soundsOff (BOOL), tempoMs (N), tipsHeard (N), zone (S)"
	history := "days (S), lastAt (S), longest (N), run (N), total (N), version (N)"
	want := []string{
		"acct DONE#<…>: day (S), doneAt (S), session (S), zone (S)",
		"acct HISTORY: " + history,
		"acct P#<person>#DONE#<…>: day (S), doneAt (S), session (S), zone (S)",
		"acct P#<person>#HISTORY: " + history,
		"acct P#<person>#PAIN#<…>: at (S)",
		"acct P#<person>#PLACE: expiresAt (N), move (N), side (N)",
		"acct P#<person>#PROFILE: " + profile,
		"acct PAIN#<…>: at (S)",
		"acct PLACE: expiresAt (N), move (N), side (N)",
		"acct PROFILE: " + profile,
		"gone GONE: expiresAt (N)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got items\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, item := range partition(t, rec.table, "acct") {
		if sk := item[dynamostore.AttrSK].(*types.AttributeValueMemberS).Value; strings.HasSuffix(sk, "HISTORY") {
			if days := item["days"].(*types.AttributeValueMemberS).Value; days != "2026-11-23:1" {
				t.Errorf("%s: days %q, want 2026-11-23:1", sk, days)
			}
		}
	}
}

// TestTombstone: DeleteUser leaves the account's partition holding only its tombstone, due
// to expire after TombstoneLifetime; once expired, it refuses nothing more, though the
// table's TTL has not deleted it yet.
func TestTombstone(t *testing.T) {
	ctx := context.Background()
	store, rec := newTable(t)
	at := time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)
	for _, key := range []string{"acct", "acct.p1"} {
		if err := store.SavePlace(ctx, key, skill.Place{Side: 1, Expires: at.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	before := time.Now()
	if err := store.DeleteUser(ctx, "acct.p1"); err != nil {
		t.Fatal(err)
	}
	items := partition(t, rec.table, "acct")
	if len(items) != 1 || items[0][dynamostore.AttrSK].(*types.AttributeValueMemberS).Value != "GONE" {
		t.Fatalf("the account's partition holds %v, want its tombstone alone", items)
	}
	var expires int64
	fmt.Sscan(items[0][dynamostore.AttrExpiresAt].(*types.AttributeValueMemberN).Value, &expires)
	if earliest := before.Add(skill.TombstoneLifetime).Unix(); expires < earliest || expires > earliest+60 {
		t.Errorf("the tombstone expires at %v, want %v", time.Unix(expires, 0), time.Unix(earliest, 0))
	}

	_, err := dynamostore.NewClient(localConfig, local).PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(rec.table), Item: map[string]types.AttributeValue{
		dynamostore.AttrPK:        &types.AttributeValueMemberS{Value: "acct"},
		dynamostore.AttrSK:        &types.AttributeValueMemberS{Value: "GONE"},
		dynamostore.AttrExpiresAt: &types.AttributeValueMemberN{Value: fmt.Sprint(time.Now().Unix() - 1)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"acct", "acct.p1"} {
		if _, err := store.User(ctx, key); !errors.Is(err, skill.ErrNotFound) {
			t.Errorf("%s: got %v, want ErrNotFound: nothing stored", key, err)
		}
		if err := store.SavePlace(ctx, key, skill.Place{Side: 2, Expires: at.Add(time.Hour)}); err != nil {
			t.Errorf("%s, the tombstone expired: got %v, want nil", key, err)
		}
		if u, err := store.User(ctx, key); err != nil || u.Paused == nil || u.Paused.Side != 2 {
			t.Errorf("%s: got %+v, %v; want the place saved", key, u, err)
		}
	}
}
