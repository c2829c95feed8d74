package console

import (
	"context"
	"fmt"
	"os"

	"github.com/spine-opener/spine-opener/internal/boltstore"
	"github.com/spine-opener/spine-opener/internal/dynamostore"
	"github.com/spine-opener/spine-opener/internal/skill"
)

// OpenStore is the console's usual store: DynamoDB when TABLE_NAME is set (the SDK's own
// variables say where and as whom: see dynamostore.ConfigFromEnv), else the embedded store
// at path. Against a local endpoint the table is created if it is missing.
func OpenStore(ctx context.Context, path string) (skill.Store, string, func() error, error) {
	table := os.Getenv("TABLE_NAME")
	if table == "" {
		s, err := boltstore.Open(path)
		if err != nil {
			return nil, "", nil, err
		}
		return s, path, s.Close, nil
	}
	cfg, err := dynamostore.ConfigFromEnv()
	if err != nil {
		return nil, "", nil, fmt.Errorf("TABLE_NAME is set, so the console uses DynamoDB, but: %w", err)
	}
	client := dynamostore.NewClient(cfg)
	where := "AWS"
	if endpoint := dynamostore.Endpoint(); endpoint != "" {
		where = endpoint
		if err := dynamostore.CreateTable(ctx, client, table); err != nil {
			return nil, "", nil, err
		}
	}
	s := dynamostore.New(client, table)
	return s, fmt.Sprintf("%s at %s", s, where), func() error { return nil }, nil
}
