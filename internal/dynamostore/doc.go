// Package dynamostore is the skill.Store on DynamoDB, the production store.
//
// One table holds everything, partitioned by the account's key (a hash of the Alexa user
// ID). A person Alexa recognised on the account (a user key "<account>.<person>") has the
// same items in the account's partition, under sort keys prefixed P#<person>#:
//
//	pk (S)        sk (S)                other attributes
//	<account>     PROFILE               tempoMs (N), noteHeard (BOOL), zone (S), lastPain (S, UTC, ms),
//	                                    painNoted (BOOL), soundsOff (BOOL), tipsHeard (N),
//	                                    reminders (L of M: token (S), hour (N), minute (N)),
//	                                    remindersOffered (BOOL); each left out when zero
//	<account>     PLACE                 side (N), move (N), expiresAt (N, epoch seconds: the table's TTL)
//	<account>     HISTORY               days (S, "2026-11-23:2,2026-11-22:1", newest first, at most
//	                                    15), run (N), longest (N), total (N), lastAt (S, UTC, ms),
//	                                    version (N)
//	<account>     DONE#<id>             doneAt (S, UTC, ms), day (S, local date), zone (S), session (S)
//	<account>     PAIN#<at>             at (S, UTC, ms: the same time as in the sort key)
//	<account>     P#<person>#PROFILE    (and PLACE, HISTORY, DONE#<id>, PAIN#<at>): as above, the person's
//	<account>     GONE                  expiresAt (N, epoch seconds: the tombstone's end, and TTL)
//
// Reading a user is one BatchGetItem of four items (profile, place, history, tombstone),
// whatever the length of their history: the history is a summary that each completion
// rewrites, in the same TransactWriteItems, on the condition that its version is the one
// read. The local secondary index byTime (pk, doneAt) holds only completions, so counting a
// time range is one strongly consistent Query, filtered on the user's sort-key prefix. A
// completion's sort key is its ID, so writing it on the condition that it is new makes a
// repeated request count once; a pain record's is its time, so writing it again changes
// nothing. The profile carries the time of the last pain record.
//
// Every write is a TransactWriteItems that checks, with a ConditionCheck, that the account
// has no tombstone (or one past its expiry, which DynamoDB's TTL may take days to delete).
// DeleteUser puts the tombstone first, then deletes everything else in the partition, the
// persons' items included, so a write racing it is either refused or erased.
package dynamostore
