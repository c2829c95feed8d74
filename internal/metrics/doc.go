// Package metrics is the skill's CloudWatch metrics: what one turn (one request) did,
// counted as it happens and written into the request's JSON log line in CloudWatch's
// embedded metric format (EMF), so that CloudWatch Logs turns the line into metrics with
// no API call and no extra permission.
//
// A Turn travels in the request's context: the handler makes it with NewContext, counts
// what the conversation did (Count), and appends Attrs to its one log line per request;
// the DynamoDB client's middleware finds it with FromContext and adds each call's latency
// and throttling. Every metric is in the namespace Namespace with one dimension, the
// function's name; none carries a user's key or anything else about a user.
package metrics
