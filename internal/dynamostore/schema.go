package dynamostore

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Attribute and index names. template.yaml declares the same (a test holds them together).
const (
	AttrPK        = "pk"
	AttrSK        = "sk"
	AttrDoneAt    = "doneAt"
	AttrExpiresAt = "expiresAt" // the TTL attribute
	IndexByTime   = "byTime"
)

// CreateTableInput is the table the store expects: what template.yaml deploys, and what
// tests and local development create in DynamoDB Local.
func CreateTableInput(name string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(AttrPK), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(AttrSK), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(AttrDoneAt), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(AttrPK), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(AttrSK), KeyType: types.KeyTypeRange},
		},
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{{
			IndexName: aws.String(IndexByTime),
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String(AttrPK), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String(AttrDoneAt), KeyType: types.KeyTypeRange},
			},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
		}},
	}
}
