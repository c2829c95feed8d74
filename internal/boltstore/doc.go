// Package boltstore is the embedded skill.Store: one bbolt file, for the local console and
// for trying the skill without AWS. Each user (an account's key, or a person's
// "<account>.<person>") has a record of preferences, place and history (in the users
// bucket), a bucket of completions keyed by completion ID, and a bucket of pain records
// keyed by their time (UTC, to the millisecond). A tombstone is the account's key in the
// gone bucket, with when it expires; every write checks it in its own transaction.
package boltstore
