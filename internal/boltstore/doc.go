// Package boltstore is the embedded skill.Store: one bbolt file, for the local console and
// for trying the skill without AWS. Each user has a record of preferences and place (in the
// users bucket), a bucket of completions keyed by completion ID, and a bucket of pain
// records keyed by their time (UTC, to the millisecond).
package boltstore
