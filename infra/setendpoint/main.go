// Command setendpoint writes the deployable copy of the skill package, leaving the committed
// skill-package/ as it is: skill.json with the skill function of each Alexa region as its
// endpoints (requests and events, the North American one also as the default endpoint) and
// the listing's public privacy policy and terms of use addresses in every locale; the
// interaction models and assets as they are; the whole package zipped the way the ASK CLI
// zips one (its files at the zip's root) for SMAPI's skill package import; and docs/ with
// the contact address filled in, to publish at those two addresses.
//
//	go run ./infra/setendpoint -check -skill-id amzn1.ask.skill.… \
//	    -privacy-policy-url https://… -terms-of-use-url https://… -contact-email you@…
//	go run ./infra/setendpoint -na ARN -eu ARN -fe ARN \
//	    -privacy-policy-url https://… -terms-of-use-url https://… -contact-email you@… [-out build]
//
// -check only checks the deploy's parameters (infra/deploy.sh runs it before deploying
// anything); placeholders such as example.com addresses are refused. Without -check it writes
// OUT/skill-package/, OUT/skill-package.zip and OUT/docs/.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var p Params
	check := flag.Bool("check", false, "only check the parameters")
	flag.StringVar(&p.SkillID, "skill-id", "", "the Alexa skill `ID` (amzn1.ask.skill.…); checked when given, required with -check")
	flag.StringVar(&p.Endpoints.NA, "na", "", "the North America region's function `ARN` (us-east-1)")
	flag.StringVar(&p.Endpoints.EU, "eu", "", "the Europe and India region's function `ARN` (eu-west-1)")
	flag.StringVar(&p.Endpoints.FE, "fe", "", "the Far East and Australia region's function `ARN` (us-west-2)")
	flag.StringVar(&p.PrivacyPolicyURL, "privacy-policy-url", "", "the privacy policy's public `URL`")
	flag.StringVar(&p.TermsOfUseURL, "terms-of-use-url", "", "the terms of use's public `URL`")
	flag.StringVar(&p.ContactEmail, "contact-email", "", "the `address` the policies give for questions and deletion requests")
	pkg := flag.String("package", "skill-package", "the skill package `folder` to copy")
	docs := flag.String("docs", "docs", "the `folder` holding privacy-policy.md and terms-of-use.md")
	out := flag.String("out", "build", "the `folder` to write skill-package/, skill-package.zip and docs/ into")
	flag.Parse()
	if flag.NArg() > 0 {
		fail(fmt.Errorf("unexpected arguments %q", flag.Args()))
	}
	if *check {
		if p.SkillID == "" {
			fail(fmt.Errorf("-check needs -skill-id"))
		}
		if err := p.Check(false); err != nil {
			fail(err)
		}
		fmt.Println("setendpoint: the deploy parameters are fine")
		return
	}
	written, err := Write(*pkg, *docs, *out, p)
	if err != nil {
		fail(err)
	}
	for _, w := range written {
		fmt.Println("setendpoint: wrote", w)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "setendpoint:", err)
	os.Exit(1)
}
