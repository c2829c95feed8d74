package console

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/spine-opener/spine-opener/internal/boltstore"
	"github.com/spine-opener/spine-opener/internal/dynamostore"
	"github.com/spine-opener/spine-opener/internal/skill"
)

// OpenStore is the console's usual store: DynamoDB when TABLE_NAME is set (the SDK's own
// variables, such as AWS_ENDPOINT_URL_DYNAMODB, say where), else the embedded store at path.
// Against a local endpoint the table is created if it is missing.
func OpenStore(ctx context.Context, path string) (skill.Store, string, func() error, error) {
	table := os.Getenv("TABLE_NAME")
	if table == "" {
		s, err := boltstore.Open(path)
		if err != nil {
			return nil, "", nil, err
		}
		return s, path, s.Close, nil
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, "", nil, fmt.Errorf("load AWS config: %w", err)
	}
	client := dynamostore.NewClient(cfg)
	where := "AWS"
	if endpoint := firstSet("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"); endpoint != "" {
		where = endpoint
		if err := dynamostore.CreateTable(ctx, client, table); err != nil {
			return nil, "", nil, err
		}
	}
	s := dynamostore.New(client, table)
	return s, fmt.Sprintf("%s at %s", s, where), func() error { return nil }, nil
}

func firstSet(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}
