package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSetEndpoint(t *testing.T) {
	orig, err := os.ReadFile("../../skill-package/skill.json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "skill.json")
	os.WriteFile(path, orig, 0o644)
	arn := "arn:aws:lambda:us-east-1:123456789012:function:spine-opener-skill"
	if err := setEndpoint(path, arn); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if n := strings.Count(string(got), `"uri": "`+arn+`"`); n != 2 {
		t.Errorf("ARN written %d times, want 2 (custom and events)", n)
	}
	if len(strings.Split(string(got), "\n")) != len(strings.Split(string(orig), "\n")) {
		t.Errorf("the rest of the manifest changed shape")
	}
	// Again, with another ARN: the placeholder is gone, so this replaces the first.
	if err := setEndpoint(path, arn+"-2"); err != nil {
		t.Fatal(err)
	}
	got, _ = os.ReadFile(path)
	if strings.Count(string(got), arn+"-2") != 2 {
		t.Errorf("second ARN not written twice")
	}

	for _, bad := range []string{"", "arn:aws:s3:::bucket", "not an arn", `arn:aws:lambda:us-east-1:123456789012:function:x"inject`} {
		if err := setEndpoint(path, bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(got) {
		t.Errorf("a refused ARN changed the file")
	}
}
