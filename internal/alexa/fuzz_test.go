package alexa

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeRequest: any bytes either fail to decode or decode to a request that encodes,
// and whose encoding decodes and encodes to the same bytes again.
func FuzzDecodeRequest(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte(`{"request":{"type":"IntentRequest","intent":{"name":"x","slots":{"s":{"name":"s","value":"<&>"}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r Request
		if json.Unmarshal(data, &r) != nil {
			return
		}
		once, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("decoded request does not encode: %v", err)
		}
		var again Request
		if err := json.Unmarshal(once, &again); err != nil {
			t.Fatalf("encoded request does not decode: %v\n%s", err, once)
		}
		twice, err := json.Marshal(again)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("encoding is not stable:\n%s\n%s", once, twice)
		}
	})
}
