package console

import (
	"context"
	"errors"
	"fmt"
	"os"

	berrors "go.etcd.io/bbolt/errors"

	"github.com/spine-opener/spine-opener/internal/boltstore"
	"github.com/spine-opener/spine-opener/internal/dynamostore"
	"github.com/spine-opener/spine-opener/internal/skill"
)

// OpenStore is the console's usual store: DynamoDB when TABLE_NAME is set (the SDK's own
// variables say where and as whom: see dynamostore.ConfigFromEnv), else the embedded store
// at path. Against a local endpoint the table is created if it is missing.
//
// One console at a time can have the embedded store open: a second is told so after a
// moment (boltstore.Open's wait for the file's lock), rather than left waiting.
func OpenStore(ctx context.Context, path string) (skill.Store, string, func() error, error) {
	table := os.Getenv("TABLE_NAME")
	if table == "" {
		s, err := boltstore.Open(path)
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, "", nil, fmt.Errorf("the store %s is in use by another console: close that one, or give this one its own with --db FILE (%w)", path, err)
		}
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
