// Package ssmltest checks SSML in tests a second time, with Amazon-side tooling: the npm
// package ssml-check-core (pinned in infra/node, installed into .cache/node by
// infra/node-tools.sh) run by node on infra/node/ssml-check.mjs. Package ssml's own
// Validate is the stricter check and runs everywhere; this one catches what a Go
// reimplementation of Alexa's rules could get wrong.
//
// Its checks fail the test, never skip it, when node or the package is missing.
package ssmltest
