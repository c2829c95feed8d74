// Package dynamolocal starts Amazon's DynamoDB Local for tests: a Java process on a free
// loopback port, in memory, stopped when the tests end. infra/dynamodb-local.sh puts the
// emulator in .cache/dynamodb-local; DYNAMODB_LOCAL_DIR points elsewhere.
package dynamolocal
