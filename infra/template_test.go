package infra_test

import (
	"fmt"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"gopkg.in/yaml.v3"

	"github.com/spine-opener/spine-opener/internal/dynamostore"
)

// loadTemplate parses template.yaml into plain maps and slices, turning CloudFormation's
// short tags into their long forms: !Ref X is {"Ref": "X"}, !GetAtt A.B is
// {"Fn::GetAtt": ["A", "B"]}, !Sub s is {"Fn::Sub": s}.
func loadTemplate(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	tmpl, ok := plain(t, doc.Content[0]).(map[string]any)
	if !ok {
		t.Fatal("template.yaml is not a mapping")
	}
	return tmpl
}

func plain(t *testing.T, n *yaml.Node) any {
	var v any
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i < len(n.Content); i += 2 {
			m[n.Content[i].Value] = plain(t, n.Content[i+1])
		}
		v = m
	case yaml.SequenceNode:
		s := []any{}
		for _, c := range n.Content {
			s = append(s, plain(t, c))
		}
		v = s
	case yaml.ScalarNode:
		custom := strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!")
		if custom || n.Decode(&v) != nil {
			v = n.Value
		}
	case yaml.AliasNode:
		v = plain(t, n.Alias)
	}
	switch n.Tag {
	case "!Ref":
		return map[string]any{"Ref": v}
	case "!GetAtt":
		if s, ok := v.(string); ok {
			parts := strings.SplitN(s, ".", 2)
			return map[string]any{"Fn::GetAtt": []any{parts[0], parts[1]}}
		}
		return map[string]any{"Fn::GetAtt": v}
	case "!Sub", "!Join", "!If", "!Equals", "!Select", "!Split", "!FindInMap", "!ImportValue", "!GetAZs", "!Not", "!And", "!Or":
		return map[string]any{"Fn::" + strings.TrimPrefix(n.Tag, "!"): v}
	}
	return v
}

// at walks the template by keys and indexes.
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %v: not a mapping", path)
			}
			v = m[k]
		case int:
			s, ok := v.([]any)
			if !ok || k >= len(s) {
				t.Fatalf("at %v: no item %d", path, k)
			}
			v = s[k]
		}
	}
	return v
}

func ref(name string) map[string]any { return map[string]any{"Ref": name} }

func TestFunction(t *testing.T) {
	tmpl := loadTemplate(t)
	globals := at(t, tmpl, "Globals", "Function").(map[string]any)
	fn := at(t, tmpl, "Resources", "SkillFunction").(map[string]any)
	props := fn["Properties"].(map[string]any)
	// A property set on the function wins over Globals.
	prop := func(name string) any {
		if v, ok := props[name]; ok {
			return v
		}
		return globals[name]
	}

	if fn["Type"] != "AWS::Serverless::Function" {
		t.Errorf("SkillFunction type %v", fn["Type"])
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"Runtime", prop("Runtime"), "provided.al2023"},
		{"Architectures", prop("Architectures"), []any{"arm64"}},
		{"Handler", prop("Handler"), "bootstrap"},
		{"CodeUri", strings.TrimSuffix(prop("CodeUri").(string), "/"), "functions/skill"},
		{"BuildMethod", at(t, fn, "Metadata", "BuildMethod"), "go1.x"},
		{"AlexaSkill event type", at(t, props, "Events", "Alexa", "Type"), "AlexaSkill"},
		{"AlexaSkill event SkillId", at(t, props, "Events", "Alexa", "Properties", "SkillId"), ref("SkillId")},
		{"log group", at(t, prop("LoggingConfig"), "LogGroup"), ref("SkillLogGroup")},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.what, c.got, c.want)
		}
	}
	if timeout, _ := prop("Timeout").(int); timeout < 3 || timeout >= 8 {
		t.Errorf("Timeout %v s: want under Alexa's 8 s, and room for retries (3 s or more)", prop("Timeout"))
	}
	if mem, _ := prop("MemorySize").(int); mem < 256 || mem > 1024 {
		t.Errorf("MemorySize %v MB: want 256–1024 (CPU, so cold start, scales with memory; more only costs)", prop("MemorySize"))
	}
	if len(at(t, props, "Events").(map[string]any)) != 1 {
		t.Errorf("the function must have one trigger, the Alexa skill: %v", at(t, props, "Events"))
	}

	// The environment the template sets is exactly what main.go reads.
	env := map[string]any{}
	for _, vars := range []any{at(t, globals, "Environment", "Variables"), nil} {
		if m, ok := vars.(map[string]any); ok {
			for k, v := range m {
				env[k] = v
			}
		}
	}
	if m, ok := at(t, props, "Environment").(map[string]any); ok {
		for k, v := range m["Variables"].(map[string]any) {
			env[k] = v
		}
	}
	read := envRead(t)
	var set []string
	for k := range env {
		set = append(set, k)
	}
	sort.Strings(set)
	if !reflect.DeepEqual(set, read) {
		t.Errorf("template sets %v, code reads %v", set, read)
	}
	if !reflect.DeepEqual(env["TABLE_NAME"], ref("Table")) || !reflect.DeepEqual(env["SKILL_ID"], ref("SkillId")) {
		t.Errorf("TABLE_NAME must be !Ref Table and SKILL_ID !Ref SkillId: %v", env)
	}
}

// envRead lists the variables functions/skill/main.go reads, less the one Lambda itself sets.
func envRead(t *testing.T) []string {
	src, err := os.ReadFile("../functions/skill/main.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range regexp.MustCompile(`os\.Getenv\("([A-Z_]+)"\)`).FindAllStringSubmatch(string(src), -1) {
		if m[1] != "AWS_LAMBDA_RUNTIME_API" {
			names = append(names, m[1])
		}
	}
	sort.Strings(names)
	return names
}

// TestLeastPrivilege holds the function's policy to exactly the DynamoDB actions the store
// needs, on the table and its index only. The actions come from the operations the store's
// tests saw it perform (internal/dynamostore/testdata/operations.txt), not from reading its
// source.
func TestLeastPrivilege(t *testing.T) {
	want := storeActions(t)
	if problems := policyProblems(t, loadTemplate(t), want); len(problems) > 0 {
		t.Errorf("SkillFunction's policy:\n%s", strings.Join(problems, "\n"))
	}

	// Each of these changes to the policy must be caught.
	statement := func(tmpl map[string]any) map[string]any {
		return at(t, tmpl, "Resources", "SkillFunction", "Properties", "Policies", 0, "Statement", 0).(map[string]any)
	}
	mutations := []struct {
		name   string
		mutate func(tmpl map[string]any)
	}{
		{"a Scan action", func(tmpl map[string]any) {
			st := statement(tmpl)
			st["Action"] = append(st["Action"].([]any), "dynamodb:Scan")
		}},
		{"a wildcard action", func(tmpl map[string]any) { statement(tmpl)["Action"] = []any{"dynamodb:*"} }},
		{"an action as a single string", func(tmpl map[string]any) { statement(tmpl)["Action"] = "dynamodb:Query" }},
		{"another service's action", func(tmpl map[string]any) {
			st := statement(tmpl)
			st["Action"] = append(st["Action"].([]any), "s3:GetObject")
		}},
		{"an action missing", func(tmpl map[string]any) {
			st := statement(tmpl)
			st["Action"] = st["Action"].([]any)[1:]
		}},
		{"a wildcard resource", func(tmpl map[string]any) { statement(tmpl)["Resource"] = "*" }},
		{"another table", func(tmpl map[string]any) {
			st := statement(tmpl)
			st["Resource"] = append(st["Resource"].([]any), "arn:aws:dynamodb:us-east-1:123456789012:table/other")
		}},
		{"a second statement", func(tmpl map[string]any) {
			doc := at(t, tmpl, "Resources", "SkillFunction", "Properties", "Policies", 0).(map[string]any)
			doc["Statement"] = append(doc["Statement"].([]any), map[string]any{
				"Effect": "Allow", "Action": []any{"dynamodb:Scan"}, "Resource": []any{"*"}})
		}},
		{"a managed policy", func(tmpl map[string]any) {
			props := at(t, tmpl, "Resources", "SkillFunction", "Properties").(map[string]any)
			props["Policies"] = append(props["Policies"].([]any), "AmazonDynamoDBFullAccess")
		}},
	}
	for _, m := range mutations {
		tmpl := loadTemplate(t)
		m.mutate(tmpl)
		if problems := policyProblems(t, tmpl, want); len(problems) == 0 {
			t.Errorf("a policy with %s passes", m.name)
		} else {
			t.Logf("a policy with %s: %s", m.name, strings.Join(problems, "; "))
		}
	}
}

// policyProblems says what is wrong with SkillFunction's policies: anything but inline
// statements allowing exactly the actions want on the table and its index.
func policyProblems(t *testing.T, tmpl map[string]any, want []string) []string {
	var problems []string
	policies, _ := at(t, tmpl, "Resources", "SkillFunction", "Properties", "Policies").([]any)
	resources := []any{
		map[string]any{"Fn::GetAtt": []any{"Table", "Arn"}},
		map[string]any{"Fn::Sub": "${Table.Arn}/index/" + dynamostore.IndexByTime},
	}
	allowed := map[string]bool{}
	for _, p := range policies {
		doc, ok := p.(map[string]any)
		if !ok {
			problems = append(problems, fmt.Sprintf("policy %v: a managed or template policy; want only an inline statement", p))
			continue
		}
		statements, _ := doc["Statement"].([]any)
		for _, s := range statements {
			st, _ := s.(map[string]any)
			if st["Effect"] != "Allow" {
				continue
			}
			actions, ok := st["Action"].([]any)
			if !ok {
				problems = append(problems, fmt.Sprintf("Action %v: want a list of named actions", st["Action"]))
			}
			for _, a := range actions {
				action, _ := a.(string)
				if strings.Contains(action, "*") || !strings.HasPrefix(action, "dynamodb:") {
					problems = append(problems, fmt.Sprintf("action %q: want named DynamoDB actions only", action))
				}
				allowed[action] = true
			}
			if !reflect.DeepEqual(st["Resource"], resources) {
				problems = append(problems, fmt.Sprintf("resources %v, want the table and its index, nothing else", st["Resource"]))
			}
		}
	}
	if got := slices.Sorted(maps.Keys(allowed)); !slices.Equal(got, want) {
		problems = append(problems, fmt.Sprintf("the policy allows %v; the store needs %v", got, want))
	}
	return problems
}

// storeActions is the IAM actions the store needs for the operations its tests recorded. An
// operation is its own action, but for a transaction, which IAM authorizes by the actions of
// its items.
func storeActions(t *testing.T) []string {
	raw, err := os.ReadFile("../internal/dynamostore/testdata/operations.txt")
	if err != nil {
		t.Fatal(err)
	}
	itemActions := map[string]string{"Put": "PutItem", "Delete": "DeleteItem", "Update": "UpdateItem", "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}
	need := map[string]bool{}
	for line := range strings.Lines(string(raw)) {
		op := strings.TrimSpace(line)
		if op == "" || strings.HasPrefix(op, "#") {
			continue
		}
		switch tx, item, isItem := strings.Cut(op, "/"); {
		case isItem && itemActions[item] == "":
			t.Fatalf("operations.txt: %q: no IAM action known for a transaction's %q item", op, item)
		case isItem:
			need["dynamodb:"+itemActions[item]] = true
		case strings.HasPrefix(tx, "Transact"): // authorized by its items alone
		default:
			need["dynamodb:"+op] = true
		}
	}
	if len(need) == 0 {
		t.Fatal("operations.txt lists no DynamoDB operations")
	}
	return slices.Sorted(maps.Keys(need))
}

func TestTable(t *testing.T) {
	tmpl := loadTemplate(t)
	table := at(t, tmpl, "Resources", "Table").(map[string]any)
	props := table["Properties"].(map[string]any)
	checks := []struct {
		what      string
		got, want any
	}{
		{"Type", table["Type"], "AWS::DynamoDB::Table"},
		{"DeletionPolicy", table["DeletionPolicy"], "Retain"},
		{"UpdateReplacePolicy", table["UpdateReplacePolicy"], "Retain"},
		{"BillingMode", props["BillingMode"], "PAY_PER_REQUEST"},
		{"point-in-time recovery", at(t, props, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"), true},
		// The AWS-owned key, DynamoDB's default: SSEEnabled true would mean the AWS-managed
		// KMS key (billed KMS requests), and KMSMasterKeyId a key of our own.
		{"encryption at rest", props["SSESpecification"], map[string]any{"SSEEnabled": false}},
		{"TTL attribute", at(t, props, "TimeToLiveSpecification", "AttributeName"), dynamostore.AttrExpiresAt},
		{"TTL enabled", at(t, props, "TimeToLiveSpecification", "Enabled"), true},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.what, c.got, c.want)
		}
	}

	// Keys, attributes and index as the store creates them in DynamoDB Local.
	code := dynamostore.CreateTableInput("x")
	var attrs []any
	for _, a := range code.AttributeDefinitions {
		attrs = append(attrs, map[string]any{"AttributeName": aws.ToString(a.AttributeName), "AttributeType": string(a.AttributeType)})
	}
	keys := func(ks []struct{ name, typ string }) []any {
		var out []any
		for _, k := range ks {
			out = append(out, map[string]any{"AttributeName": k.name, "KeyType": k.typ})
		}
		return out
	}
	var tableKeys, indexKeys []struct{ name, typ string }
	for _, k := range code.KeySchema {
		tableKeys = append(tableKeys, struct{ name, typ string }{aws.ToString(k.AttributeName), string(k.KeyType)})
	}
	lsi := code.LocalSecondaryIndexes[0]
	for _, k := range lsi.KeySchema {
		indexKeys = append(indexKeys, struct{ name, typ string }{aws.ToString(k.AttributeName), string(k.KeyType)})
	}
	if !reflect.DeepEqual(props["AttributeDefinitions"], attrs) {
		t.Errorf("AttributeDefinitions: template %v, code %v", props["AttributeDefinitions"], attrs)
	}
	if !reflect.DeepEqual(props["KeySchema"], keys(tableKeys)) {
		t.Errorf("KeySchema: template %v, code %v", props["KeySchema"], keys(tableKeys))
	}
	wantIndex := []any{map[string]any{
		"IndexName":  aws.ToString(lsi.IndexName),
		"KeySchema":  keys(indexKeys),
		"Projection": map[string]any{"ProjectionType": string(lsi.Projection.ProjectionType)},
	}}
	if !reflect.DeepEqual(props["LocalSecondaryIndexes"], wantIndex) {
		t.Errorf("LocalSecondaryIndexes: template %v, code %v", props["LocalSecondaryIndexes"], wantIndex)
	}
	if props["GlobalSecondaryIndexes"] != nil {
		t.Errorf("the template declares global indexes the code does not use")
	}
}

func TestLogsAndOutputs(t *testing.T) {
	tmpl := loadTemplate(t)
	logs := at(t, tmpl, "Resources", "SkillLogGroup").(map[string]any)
	if logs["Type"] != "AWS::Logs::LogGroup" || at(t, logs, "Properties", "RetentionInDays") == nil {
		t.Errorf("log group %v: want an AWS::Logs::LogGroup with RetentionInDays", logs)
	}
	outputs := at(t, tmpl, "Outputs").(map[string]any)
	if got := at(t, outputs, "SkillFunctionArn", "Value"); !reflect.DeepEqual(got, map[string]any{"Fn::GetAtt": []any{"SkillFunction", "Arn"}}) {
		t.Errorf("SkillFunctionArn output: %v", got)
	}
	if got := at(t, outputs, "TableName", "Value"); !reflect.DeepEqual(got, ref("Table")) {
		t.Errorf("TableName output: %v", got)
	}
	if at(t, tmpl, "Parameters", "SkillId") == nil {
		t.Errorf("no SkillId parameter")
	}
}
