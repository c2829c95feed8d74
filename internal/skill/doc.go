// Package skill is the Spine Opener itself: the routine and its pacing, the conversation
// (which request gets which answer), what counts as a completion, and the small Store
// interface its adapters implement (boltstore for local use, dynamostore on Lambda).
//
// Handler.Handle is the one entry point; the Lambda function and the local console both call
// it with an alexa.Request and send back its alexa.Response.
package skill
