// Package skilltest holds a hand-written in-memory skill.Store for tests and benchmarks. It
// counts the calls made to it, so tests can hold the skill to its storage budget, and can be
// told to fail.
package skilltest
