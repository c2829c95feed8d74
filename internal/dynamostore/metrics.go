package dynamostore

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/spine-opener/spine-opener/internal/metrics"
)

// withMetrics makes a client report each call to the metrics.Turn of the call's context,
// if it carries one: the operation's time, retries and backoff included, and every attempt
// DynamoDB throttled. NewClient adds it; it does nothing for a context without a Turn.
func withMetrics(o *dynamodb.Options) {
	o.APIOptions = append(o.APIOptions, addMetrics)
}

func addMetrics(stack *middleware.Stack) error {
	// The Initialize step runs once per operation, around the retry loop: its time is what
	// the user waited for.
	err := stack.Initialize.Add(middleware.InitializeMiddlewareFunc("SpineOpenerCallMetrics",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			turn := metrics.FromContext(ctx)
			if turn == nil {
				return next.HandleInitialize(ctx, in)
			}
			start := time.Now()
			out, md, err := next.HandleInitialize(ctx, in)
			turn.DynamoDBCall(time.Since(start))
			return out, md, err
		}), middleware.Before)
	if err != nil {
		return err
	}
	// The Deserialize step runs once per attempt, inside the retry loop, and sees each
	// attempt's answer decoded: the error DynamoDB returned, or the output.
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("SpineOpenerThrottleMetrics",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleDeserialize(ctx, in)
			if turn := metrics.FromContext(ctx); turn != nil && throttled(out.Result, err) {
				turn.DynamoDBThrottle()
			}
			return out, md, err
		}), middleware.Before)
}

// throttled tells whether DynamoDB throttled an attempt, whose decoded output is result and
// error err: a throttling error, a transaction cancelled because an item was throttled, or a
// batch that left items unprocessed (which DynamoDB does when it throttles part of one).
func throttled(result any, err error) bool {
	var canceled *types.TransactionCanceledException
	var apiErr smithy.APIError
	switch {
	case errors.As(err, &canceled):
		for _, r := range canceled.CancellationReasons {
			switch aws.ToString(r.Code) {
			case "ThrottlingError", "ProvisionedThroughputExceeded":
				return true
			}
		}
		return false
	case errors.As(err, &apiErr):
		switch apiErr.ErrorCode() {
		case "ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded":
			return true
		}
		return false
	}
	switch out := result.(type) {
	case *dynamodb.BatchGetItemOutput:
		return len(out.UnprocessedKeys) > 0
	case *dynamodb.BatchWriteItemOutput:
		return len(out.UnprocessedItems) > 0
	}
	return false
}
