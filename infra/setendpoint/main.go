// Command setendpoint writes the skill function's ARN into the skill manifest as the endpoint
// of the custom skill and of its events, leaving the rest of the file as it is.
//
//	go run ./infra/setendpoint -arn arn:aws:lambda:us-east-1:123456789012:function:spine-opener-skill
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
)

var (
	arnPattern      = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$`)
	endpointPattern = regexp.MustCompile(`("endpoint"\s*:\s*\{\s*"uri"\s*:\s*)"[^"]*"`)
)

func main() {
	arn := flag.String("arn", "", "the function ARN (the stack output SkillFunctionArn)")
	manifest := flag.String("manifest", "skill-package/skill.json", "the skill manifest `file`")
	flag.Parse()
	if err := setEndpoint(*manifest, *arn); err != nil {
		fmt.Fprintln(os.Stderr, "setendpoint:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: endpoint set to %s\n", *manifest, *arn)
}

func setEndpoint(path, arn string) error {
	if !arnPattern.MatchString(arn) {
		return fmt.Errorf("%q is not a Lambda function ARN", arn)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	quoted, _ := json.Marshal(arn)
	updated := endpointPattern.ReplaceAll(raw, append([]byte("${1}"), quoted...))
	var m struct {
		Manifest struct {
			APIs struct {
				Custom struct {
					Endpoint struct{ URI string } `json:"endpoint"`
				} `json:"custom"`
			} `json:"apis"`
			Events struct {
				Endpoint struct{ URI string } `json:"endpoint"`
			} `json:"events"`
		} `json:"manifest"`
	}
	if err := json.Unmarshal(updated, &m); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if m.Manifest.APIs.Custom.Endpoint.URI != arn || m.Manifest.Events.Endpoint.URI != arn {
		return fmt.Errorf("%s: did not find both the custom and the events endpoint", path)
	}
	return os.WriteFile(path, updated, 0o644)
}
