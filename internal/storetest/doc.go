// Package storetest is the one test suite every skill.Store implementation must pass: the
// in-memory fake, the embedded bbolt store and DynamoDB (against DynamoDB Local).
package storetest
