package nodecheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var items = []string{"<speak>Hello.</speak>"}

// Without the install a check fails, never skips, and names the script that installs it.
func TestNeedsTheInstall(t *testing.T) {
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	fresh := t.TempDir() // a clone on which infra/node-tools.sh never ran
	copyFile(t, filepath.Join(root, "infra", "node", "package.json"), filepath.Join(fresh, "infra", "node", "package.json"))
	copyFile(t, filepath.Join(root, "infra", "node", "package-lock.json"), filepath.Join(fresh, "infra", "node", "package-lock.json"))
	if _, err := Run(t.Context(), fresh, t.TempDir(), "ssml-check.mjs", nil, items); err == nil ||
		!strings.Contains(err.Error(), "not installed") || !strings.Contains(err.Error(), "./infra/node-tools.sh") {
		t.Errorf("no .cache/node: got %v, want it to say to run ./infra/node-tools.sh", err)
	}

	// Installed, but infra/node's lockfile has moved on since (a package added).
	cache := filepath.Join(fresh, ".cache", "node")
	copyFile(t, filepath.Join(root, "infra", "node", "package.json"), filepath.Join(cache, "package.json"))
	copyFile(t, filepath.Join(root, "infra", "node", "package-lock.json"), filepath.Join(cache, "package-lock.json"))
	if err := os.WriteFile(filepath.Join(cache, ".installed"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(t.Context(), fresh, t.TempDir(), "apl-check.mjs", nil, items, "apl-suggester"); err == nil ||
		!strings.Contains(err.Error(), "apl-suggester is not installed") {
		t.Errorf("a needed package missing: got %v, want it named", err)
	}
	if err := os.WriteFile(filepath.Join(fresh, "infra", "node", "package-lock.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(t.Context(), fresh, t.TempDir(), "ssml-check.mjs", nil, items); err == nil ||
		!strings.Contains(err.Error(), "older than") || !strings.Contains(err.Error(), "./infra/node-tools.sh") {
		t.Errorf("stale .cache/node: got %v, want it to say to run ./infra/node-tools.sh", err)
	}
}

func TestNeedsNode(t *testing.T) {
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := Run(t.Context(), root, t.TempDir(), "ssml-check.mjs", nil, items); err == nil ||
		!strings.Contains(err.Error(), "node is not installed") || !strings.Contains(err.Error(), "./infra/node-tools.sh") {
		t.Errorf("got %v, want it to say node is missing and to run ./infra/node-tools.sh", err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
