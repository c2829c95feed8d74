package dynamostore

import (
	"errors"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// ConfigFromEnv is the AWS configuration Lambda gives a function, read from the SDK's
// standard variables only: AWS_REGION (or AWS_DEFAULT_REGION), AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (on Lambda, the execution role's), and
// AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL to point at another endpoint.
//
// Unlike config.LoadDefaultConfig it reads no files and links no SSO, STS or IMDS
// credential chains, whose package initialisation alone costs a cold start most of a
// millisecond. To use a profile elsewhere, export its credentials first
// (aws configure export-credentials --format env).
func ConfigFromEnv() (aws.Config, error) {
	region := firstEnv("AWS_REGION", "AWS_DEFAULT_REGION")
	if region == "" {
		return aws.Config{}, errors.New("AWS_REGION is not set")
	}
	key, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if key == "" || secret == "" {
		return aws.Config{}, errors.New("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
	}
	cfg := aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, os.Getenv("AWS_SESSION_TOKEN")),
	}
	if endpoint := Endpoint(); endpoint != "" {
		cfg.BaseEndpoint = aws.String(endpoint)
	}
	return cfg, nil
}

// Endpoint is the DynamoDB endpoint set in the environment, or "" for AWS's own.
func Endpoint() string {
	return firstEnv("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL")
}

func firstEnv(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}
