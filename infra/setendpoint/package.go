package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The committed skill.json holds these placeholders, each a whole JSON string, where a deploy
// puts its own values; ContactPlaceholder stands in docs/ for the contact address.
const (
	endpointPlaceholder = "REPLACE_WITH_SkillFunctionArn_" // + NA, EU or FE
	privacyPlaceholder  = "REPLACE_WITH_PRIVACY_POLICY_URL"
	termsPlaceholder    = "REPLACE_WITH_TERMS_OF_USE_URL"
	placeholderPrefix   = "REPLACE_WITH"
	ContactPlaceholder  = "{{CONTACT_EMAIL}}"
)

// Docs are the files in docs/ that a deploy fills in and publishes.
var Docs = []string{"privacy-policy.md", "terms-of-use.md"}

// Manifest returns skill.json (raw) with p's endpoints and addresses in place of the
// placeholders, the rest of the file byte for byte as it was. It checks the result: every
// region's endpoint and the default one set, for requests and for events; every locale's
// policy addresses set; no placeholder left.
func Manifest(raw []byte, p Params) ([]byte, error) {
	if err := p.Check(true); err != nil {
		return nil, err
	}
	out := raw
	replace := func(placeholder, value string) {
		quoted, _ := json.Marshal(value) // a string always marshals
		out = bytes.ReplaceAll(out, []byte(`"`+placeholder+`"`), quoted)
	}
	for _, r := range Regions {
		replace(endpointPlaceholder+r.Alexa, p.Endpoints.ARN(r.Alexa))
	}
	replace(privacyPlaceholder, p.PrivacyPolicyURL)
	replace(termsPlaceholder, p.TermsOfUseURL)
	if i := bytes.Index(out, []byte(placeholderPrefix)); i >= 0 {
		end := min(i+60, len(out))
		return nil, fmt.Errorf("skill.json: a placeholder is left: %s…", out[i:end])
	}
	var m manifest
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, fmt.Errorf("skill.json: %w", err)
	}
	if err := m.check(p); err != nil {
		return nil, fmt.Errorf("skill.json: %w", err)
	}
	return out, nil
}

// manifest is the part of skill.json a deploy sets.
type manifest struct {
	Manifest struct {
		PublishingInformation struct {
			Locales map[string]json.RawMessage `json:"locales"`
		} `json:"publishingInformation"`
		APIs struct {
			Custom endpoints `json:"custom"`
		} `json:"apis"`
		Events  endpoints `json:"events"`
		Privacy struct {
			Locales map[string]struct {
				PrivacyPolicyURL string `json:"privacyPolicyUrl"`
				TermsOfUseURL    string `json:"termsOfUseUrl"`
			} `json:"locales"`
		} `json:"privacyAndCompliance"`
	} `json:"manifest"`
}

type endpoint struct {
	URI string `json:"uri"`
}

type endpoints struct {
	Endpoint endpoint                               `json:"endpoint"`
	Regions  map[string]struct{ Endpoint endpoint } `json:"regions"`
}

func (e endpoints) check(what string, p Params) error {
	var errs []error
	if e.Endpoint.URI != p.Endpoints.NA {
		errs = append(errs, fmt.Errorf("%s: the default endpoint is %q, want the North American function", what, e.Endpoint.URI))
	}
	for _, r := range Regions {
		if got := e.Regions[r.Alexa].Endpoint.URI; got != p.Endpoints.ARN(r.Alexa) {
			errs = append(errs, fmt.Errorf("%s: the %s endpoint is %q, want %q", what, r.Alexa, got, p.Endpoints.ARN(r.Alexa)))
		}
	}
	if len(e.Regions) != len(Regions) {
		errs = append(errs, fmt.Errorf("%s: %d regions, want NA, EU and FE", what, len(e.Regions)))
	}
	return errors.Join(errs...)
}

func (m manifest) check(p Params) error {
	mf := m.Manifest
	errs := []error{mf.APIs.Custom.check("apis.custom", p), mf.Events.check("events", p)}
	if len(mf.PublishingInformation.Locales) == 0 {
		errs = append(errs, errors.New("no locales in publishingInformation"))
	}
	for loc := range mf.PublishingInformation.Locales {
		got, ok := mf.Privacy.Locales[loc]
		if !ok || got.PrivacyPolicyURL != p.PrivacyPolicyURL || got.TermsOfUseURL != p.TermsOfUseURL {
			errs = append(errs, fmt.Errorf("privacyAndCompliance.locales.%s does not have the deploy's addresses", loc))
		}
	}
	return errors.Join(errs...)
}

// Write writes OUT/skill-package/ (pkg with the manifest for p), OUT/skill-package.zip and
// OUT/docs/ (docs's policies with the contact address), replacing what a previous run left.
// It returns the paths written.
func Write(pkg, docs, out string, p Params) ([]string, error) {
	raw, err := os.ReadFile(filepath.Join(pkg, "skill.json"))
	if err != nil {
		return nil, err
	}
	mf, err := Manifest(raw, p)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{"skill.json": mf} // slash-separated paths in the package
	err = filepath.WalkDir(pkg, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(pkg, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "skill.json" || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		files[rel], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read the skill package: %w", err)
	}
	var published [][]byte
	for _, name := range Docs {
		text, err := os.ReadFile(filepath.Join(docs, name))
		if err != nil {
			return nil, err
		}
		if !bytes.Contains(text, []byte(ContactPlaceholder)) {
			return nil, fmt.Errorf("%s: no %s to fill in", filepath.Join(docs, name), ContactPlaceholder)
		}
		published = append(published, bytes.ReplaceAll(text, []byte(ContactPlaceholder), []byte(p.ContactEmail)))
	}

	dir, zipPath, docsOut := filepath.Join(out, "skill-package"), filepath.Join(out, "skill-package.zip"), filepath.Join(out, "docs")
	for _, old := range []string{dir, zipPath, docsOut} {
		if err := os.RemoveAll(old); err != nil {
			return nil, err
		}
	}
	names := slices.Sorted(maps.Keys(files))
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	for _, name := range names {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return nil, err
		}
		// A fixed time, so the same package zips to the same bytes.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[name]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if err := os.WriteFile(zipPath, zipped.Bytes(), 0o644); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(docsOut, 0o755); err != nil {
		return nil, err
	}
	written := []string{dir, zipPath}
	for i, name := range Docs {
		path := filepath.Join(docsOut, name)
		if err := os.WriteFile(path, published[i], 0o644); err != nil {
			return nil, err
		}
		written = append(written, path)
	}
	return written, nil
}
