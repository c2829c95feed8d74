// Command minimal is the smallest useful Go Lambda function for an Alexa skill: it answers
// every request with the same response. infra/lambdabench measures the skill against it.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/lambda"
)

var answer = json.RawMessage(`{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Hello."},"shouldEndSession":true}}`)

func main() {
	lambda.Start(func(context.Context, json.RawMessage) (json.RawMessage, error) { return answer, nil })
}
