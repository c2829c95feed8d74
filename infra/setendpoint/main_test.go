package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// params are a deploy's parameters as a real one would give them.
func params() Params {
	return Params{
		SkillID: "amzn1.ask.skill.0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
		Endpoints: Endpoints{
			NA: "arn:aws:lambda:us-east-1:123456789012:function:spine-opener-SkillFunction-AbC123",
			EU: "arn:aws:lambda:eu-west-1:123456789012:function:spine-opener-SkillFunction-DeF456",
			FE: "arn:aws:lambda:us-west-2:123456789012:function:spine-opener-SkillFunction-GhI789",
		},
		PrivacyPolicyURL: "https://spine-opener.github.io/privacy-policy",
		TermsOfUseURL:    "https://spine-opener.github.io/terms-of-use",
		ContactEmail:     "privacy@spineopener.app",
	}
}

func readManifest(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile("../../skill-package/skill.json")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestManifest(t *testing.T) {
	orig := readManifest(t)
	p := params()
	got, err := Manifest(orig, p)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Manifest struct {
			APIs struct {
				Custom struct {
					Endpoint struct{ URI string }
					Regions  map[string]struct{ Endpoint struct{ URI string } }
				}
			}
			Events struct {
				Endpoint struct{ URI string }
				Regions  map[string]struct{ Endpoint struct{ URI string } }
			}
			PrivacyAndCompliance struct {
				Locales map[string]struct{ PrivacyPolicyURL, TermsOfUseURL string }
			}
		}
	}
	if err := json.Unmarshal(got, &m); err != nil {
		t.Fatal(err)
	}
	mf := m.Manifest
	for _, c := range []struct{ what, got, want string }{
		{"apis.custom.endpoint", mf.APIs.Custom.Endpoint.URI, p.Endpoints.NA},
		{"apis.custom.regions.NA", mf.APIs.Custom.Regions["NA"].Endpoint.URI, p.Endpoints.NA},
		{"apis.custom.regions.EU", mf.APIs.Custom.Regions["EU"].Endpoint.URI, p.Endpoints.EU},
		{"apis.custom.regions.FE", mf.APIs.Custom.Regions["FE"].Endpoint.URI, p.Endpoints.FE},
		{"events.endpoint", mf.Events.Endpoint.URI, p.Endpoints.NA},
		{"events.regions.NA", mf.Events.Regions["NA"].Endpoint.URI, p.Endpoints.NA},
		{"events.regions.EU", mf.Events.Regions["EU"].Endpoint.URI, p.Endpoints.EU},
		{"events.regions.FE", mf.Events.Regions["FE"].Endpoint.URI, p.Endpoints.FE},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}
	if len(mf.PrivacyAndCompliance.Locales) == 0 {
		t.Error("no privacyAndCompliance locales")
	}
	for loc, l := range mf.PrivacyAndCompliance.Locales {
		if l.PrivacyPolicyURL != p.PrivacyPolicyURL || l.TermsOfUseURL != p.TermsOfUseURL {
			t.Errorf("%s: got %q and %q, want the deploy's addresses", loc, l.PrivacyPolicyURL, l.TermsOfUseURL)
		}
	}
	if bytes.Contains(got, []byte("REPLACE_WITH")) {
		t.Error("a placeholder is left")
	}
	// Everything else stays as it was: the same lines, in the same order.
	gotLines, origLines := strings.Split(string(got), "\n"), strings.Split(string(orig), "\n")
	if len(gotLines) != len(origLines) {
		t.Fatalf("%d lines, want %d", len(gotLines), len(origLines))
	}
	for i := range origLines {
		if !strings.Contains(origLines[i], "REPLACE_WITH") && gotLines[i] != origLines[i] {
			t.Errorf("line %d changed:\n got %s\nwant %s", i+1, gotLines[i], origLines[i])
		}
	}
}

func TestManifestRefuses(t *testing.T) {
	orig := readManifest(t)
	for name, change := range map[string]func(*Params){
		"no EU endpoint":        func(p *Params) { p.Endpoints.EU = "" },
		"regions swapped":       func(p *Params) { p.Endpoints.EU, p.Endpoints.FE = p.Endpoints.FE, p.Endpoints.EU },
		"not an ARN":            func(p *Params) { p.Endpoints.NA = "arn:aws:s3:::bucket" },
		"quote in the ARN":      func(p *Params) { p.Endpoints.NA = `arn:aws:lambda:us-east-1:123456789012:function:x"inject` },
		"example.com policy":    func(p *Params) { p.PrivacyPolicyURL = "https://example.com/privacy" },
		"subdomain of example":  func(p *Params) { p.TermsOfUseURL = "https://www.example.org/terms" },
		"http policy":           func(p *Params) { p.PrivacyPolicyURL = "http://spine-opener.github.io/privacy-policy" },
		"replace-with address":  func(p *Params) { p.TermsOfUseURL = "https://spine-opener.github.io/replace-with-your-terms" },
		"the same two URLs":     func(p *Params) { p.TermsOfUseURL = p.PrivacyPolicyURL },
		"no terms":              func(p *Params) { p.TermsOfUseURL = "" },
		"localhost":             func(p *Params) { p.PrivacyPolicyURL = "https://localhost/privacy" },
		"example email":         func(p *Params) { p.ContactEmail = "you@example.com" },
		"named email":           func(p *Params) { p.ContactEmail = "Spine Opener <privacy@spineopener.app>" },
		"no email":              func(p *Params) { p.ContactEmail = "" },
		"malformed skill ID":    func(p *Params) { p.SkillID = "amzn1.ask.skill.REPLACE" },
		"template placeholder":  func(p *Params) { p.ContactEmail = "{{CONTACT_EMAIL}}" },
		"URL without a domain":  func(p *Params) { p.PrivacyPolicyURL = "https://intranet/privacy" },
		"credentials in a URL ": func(p *Params) { p.PrivacyPolicyURL = "https://user:pw@spine-opener.github.io/privacy-policy" },
	} {
		t.Run(name, func(t *testing.T) {
			p := params()
			change(&p)
			if _, err := Manifest(orig, p); err == nil {
				t.Errorf("accepted %+v", p)
			}
		})
	}
	t.Run("a placeholder the deploy does not know", func(t *testing.T) {
		raw := bytes.Replace(orig, []byte(`"HEALTH_AND_FITNESS"`), []byte(`"REPLACE_WITH_CATEGORY"`), 1)
		if _, err := Manifest(raw, params()); err == nil || !strings.Contains(err.Error(), "placeholder") {
			t.Errorf("got %v, want a placeholder left", err)
		}
	})
	t.Run("an endpoint the manifest lacks", func(t *testing.T) {
		raw := bytes.Replace(orig, []byte(`"REPLACE_WITH_SkillFunctionArn_FE"`), []byte(`"arn:aws:lambda:us-west-2:123456789012:function:other"`), 1)
		if _, err := Manifest(raw, params()); err == nil {
			t.Error("a manifest naming another function in FE was accepted")
		}
	})
}

func TestCheckWithoutEndpoints(t *testing.T) {
	p := params()
	p.Endpoints = Endpoints{}
	if err := p.Check(false); err != nil {
		t.Errorf("Check(false): %v", err)
	}
	if err := p.Check(true); err == nil {
		t.Error("Check(true) accepted no endpoints")
	}
}

func TestWrite(t *testing.T) {
	out := t.TempDir()
	p := params()
	written, err := Write("../../skill-package", "../../docs", out, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 4 {
		t.Errorf("wrote %v", written)
	}
	// The copy holds every file of the package, the manifest for p and the rest unchanged.
	var want []string
	filepath.WalkDir("../../skill-package", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel("../../skill-package", path)
			want = append(want, filepath.ToSlash(rel))
		}
		return err
	})
	zr, err := zip.OpenReader(filepath.Join(out, "skill-package.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var zipped []string
	for _, f := range zr.File {
		zipped = append(zipped, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		copied, err := os.ReadFile(filepath.Join(out, "skill-package", filepath.FromSlash(f.Name)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), copied) {
			t.Errorf("%s: the zip and the folder differ", f.Name)
		}
		orig, _ := os.ReadFile(filepath.Join("../../skill-package", filepath.FromSlash(f.Name)))
		switch {
		case f.Name == "skill.json":
			if wantMF, _ := Manifest(orig, p); !bytes.Equal(copied, wantMF) {
				t.Error("skill.json is not the manifest for the deploy")
			}
		case !bytes.Equal(copied, orig):
			t.Errorf("%s changed in the copy", f.Name)
		}
	}
	slices.Sort(want)
	if !slices.Equal(zipped, want) {
		t.Errorf("zip holds %v, want %v (the package's files at its root)", zipped, want)
	}
	for _, name := range Docs {
		text, err := os.ReadFile(filepath.Join(out, "docs", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(text, []byte(p.ContactEmail)) || bytes.Contains(text, []byte(ContactPlaceholder)) {
			t.Errorf("%s: the contact address is not filled in", name)
		}
	}

	// Again, into the same folder: the same bytes (a fixed zip time), nothing left over.
	first, _ := os.ReadFile(filepath.Join(out, "skill-package.zip"))
	os.WriteFile(filepath.Join(out, "skill-package", "stale.json"), []byte("{}"), 0o644)
	if _, err := Write("../../skill-package", "../../docs", out, p); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(filepath.Join(out, "skill-package.zip"))
	if !bytes.Equal(first, second) {
		t.Error("the same package zipped to different bytes")
	}
	if _, err := os.Stat(filepath.Join(out, "skill-package", "stale.json")); err == nil {
		t.Error("a file from an earlier run was left in the copy")
	}

	// A refused parameter writes nothing.
	empty := t.TempDir()
	p.PrivacyPolicyURL = "https://example.com/privacy"
	if _, err := Write("../../skill-package", "../../docs", empty, p); err == nil {
		t.Fatal("example.com accepted")
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("a refused deploy wrote %v", entries)
	}
}
