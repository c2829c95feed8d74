// Package dynamostore is the skill.Store on DynamoDB, the production store.
//
// One table holds everything, partitioned by the user's key (a hash of the Alexa user ID):
//
//	pk (S)        sk (S)           other attributes
//	<user key>    PROFILE          tempoMs (N), noteHeard (BOOL), zone (S),
//	                               lastPain (S, UTC, ms), painNoted (BOOL)
//	<user key>    PLACE            side (N), move (N), expiresAt (N, epoch seconds: the table's TTL)
//	<user key>    DONE#<id>        doneAt (S, UTC, ms), day (S, local date), zone (S), session (S)
//	<user key>    PAIN#<at>        at (S, UTC, ms: the same time as in the sort key)
//
// The local secondary index byTime (pk, doneAt) holds only completions, so "how many today"
// is one strongly consistent Query counting a time range. A completion's sort key is its ID,
// so writing it on the condition that it is new makes a repeated request count once; a pain
// record's is its time, so writing it again changes nothing. The profile carries the time of
// the last pain record, so that reading a user stays one BatchGetItem.
package dynamostore
