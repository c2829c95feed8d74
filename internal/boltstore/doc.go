// Package boltstore is the embedded skill.Store: one bbolt file, for the local console and
// for trying the skill without AWS. Each user has a record of preferences and paused place,
// and a bucket of completions keyed by completion ID.
package boltstore
