package main

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
)

// Params are what a deploy supplies: nothing of it is committed.
type Params struct {
	SkillID          string
	Endpoints        Endpoints
	PrivacyPolicyURL string
	TermsOfUseURL    string
	ContactEmail     string
}

// Endpoints are the skill function's ARNs, one per Alexa region.
type Endpoints struct{ NA, EU, FE string }

// A Region is where Alexa sends the requests of a user of that part of the world, and the
// AWS region whose Lambda functions it calls there (Amazon's "Host a custom skill as an AWS
// Lambda function": North America, us-east-1; Europe and India, eu-west-1; Far East and
// Australia, us-west-2).
type Region struct {
	Alexa, AWS string
}

// Regions are Alexa's three, in the order infra/deploy.sh deploys them.
var Regions = []Region{{"NA", "us-east-1"}, {"EU", "eu-west-1"}, {"FE", "us-west-2"}}

// ARN returns the endpoint of the Alexa region named.
func (e Endpoints) ARN(alexaRegion string) string {
	switch alexaRegion {
	case "NA":
		return e.NA
	case "EU":
		return e.EU
	case "FE":
		return e.FE
	}
	return ""
}

var (
	skillIDPattern = regexp.MustCompile(`^amzn1\.ask\.skill\.[0-9a-fA-F-]+$`) // as template.yaml's SkillId
	arnPattern     = regexp.MustCompile(`^arn:aws:lambda:([a-z0-9-]+):[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$`)
	// placeholderWords mark an address nobody would publish for real.
	placeholderWords = []string{"placeholder", "replace", "your-", "yourdomain", "changeme", "{{", "}}"}
)

// Check reports every parameter that is missing or is a placeholder, in one error. The
// endpoints are checked only when withEndpoints is set; the skill ID only when given.
func (p Params) Check(withEndpoints bool) error {
	var errs []error
	if p.SkillID != "" && !skillIDPattern.MatchString(p.SkillID) {
		errs = append(errs, fmt.Errorf("skill ID %q is not of the form amzn1.ask.skill.…", p.SkillID))
	}
	if withEndpoints {
		for _, r := range Regions {
			if err := checkARN(p.Endpoints.ARN(r.Alexa), r); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for _, u := range []struct{ name, value string }{
		{"privacy policy URL", p.PrivacyPolicyURL},
		{"terms of use URL", p.TermsOfUseURL},
	} {
		if err := checkURL(u.value); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", u.name, err))
		}
	}
	if p.PrivacyPolicyURL != "" && p.PrivacyPolicyURL == p.TermsOfUseURL {
		errs = append(errs, errors.New("the privacy policy and the terms of use need addresses of their own"))
	}
	if err := checkEmail(p.ContactEmail); err != nil {
		errs = append(errs, fmt.Errorf("contact email: %w", err))
	}
	return errors.Join(errs...)
}

func checkARN(arn string, r Region) error {
	m := arnPattern.FindStringSubmatch(arn)
	switch {
	case arn == "":
		return fmt.Errorf("no function ARN for the %s region (%s)", r.Alexa, r.AWS)
	case m == nil:
		return fmt.Errorf("%s region: %q is not a Lambda function ARN", r.Alexa, arn)
	case m[1] != r.AWS:
		return fmt.Errorf("%s region: %s is in %s, but Alexa's %s endpoint belongs in %s", r.Alexa, arn, m[1], r.Alexa, r.AWS)
	}
	return nil
}

func checkURL(raw string) error {
	if raw == "" {
		return errors.New("missing")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case u.Scheme != "https":
		return fmt.Errorf("%q: want an https:// address", raw)
	case host == "" || !strings.Contains(host, ".") || u.User != nil:
		return fmt.Errorf("%q: want a public web address", raw)
	case placeholderHost(host):
		return fmt.Errorf("%q is a placeholder: publish docs/ and give its real address", raw)
	case hasPlaceholderWord(raw):
		return fmt.Errorf("%q looks like a placeholder", raw)
	}
	return nil
}

func checkEmail(raw string) error {
	if raw == "" {
		return errors.New("missing")
	}
	a, err := mail.ParseAddress(raw)
	if err != nil || a.Address != raw || a.Name != "" {
		return fmt.Errorf("%q: want a bare address such as privacy@yourcompany.com", raw)
	}
	domain := strings.ToLower(raw[strings.LastIndexByte(raw, '@')+1:])
	if !strings.Contains(domain, ".") || placeholderHost(domain) || hasPlaceholderWord(raw) {
		return fmt.Errorf("%q is a placeholder", raw)
	}
	return nil
}

// placeholderHost reports whether host is reserved for examples and tests (RFC 2606) or is
// this machine.
func placeholderHost(host string) bool {
	for _, d := range []string{"example.com", "example.org", "example.net", "example.edu"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	for _, tld := range []string{".example", ".test", ".invalid", ".localhost", ".local"} {
		if strings.HasSuffix(host, tld) {
			return true
		}
	}
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "0.0.0.0"
}

func hasPlaceholderWord(s string) bool {
	s = strings.ToLower(s)
	for _, w := range placeholderWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
