package infra_test

import (
	"os"
	"reflect"
	"regexp"
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

func TestLeastPrivilege(t *testing.T) {
	tmpl := loadTemplate(t)
	policies := at(t, tmpl, "Resources", "SkillFunction", "Properties", "Policies").([]any)
	var actions []string
	for _, p := range policies {
		doc, ok := p.(map[string]any)
		if !ok {
			t.Errorf("policy %v: a managed or template policy; want only an inline statement", p)
			continue
		}
		for _, s := range doc["Statement"].([]any) {
			st := s.(map[string]any)
			if st["Effect"] != "Allow" {
				continue
			}
			for _, a := range st["Action"].([]any) {
				action := a.(string)
				if strings.Contains(action, "*") || !strings.HasPrefix(action, "dynamodb:") {
					t.Errorf("action %q: want named DynamoDB actions only", action)
				}
				actions = append(actions, strings.TrimPrefix(action, "dynamodb:"))
			}
			want := []any{
				map[string]any{"Fn::GetAtt": []any{"Table", "Arn"}},
				map[string]any{"Fn::Sub": "${Table.Arn}/index/" + dynamostore.IndexByTime},
			}
			if !reflect.DeepEqual(st["Resource"], want) {
				t.Errorf("resources %v, want the table and its index, nothing else", st["Resource"])
			}
		}
	}
	sort.Strings(actions)
	if used := actionsUsed(t); !reflect.DeepEqual(actions, used) {
		t.Errorf("policy allows %v; the store uses %v", actions, used)
	}
}

// actionsUsed reads the DynamoDB store's source for the API calls it makes on requests, and
// the item operations of its transactions, as IAM action names.
func actionsUsed(t *testing.T) []string {
	src, err := os.ReadFile("../internal/dynamostore/store.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`s\.client\.(\w+)\(`).FindAllStringSubmatch(string(src), -1) {
		seen[m[1]] = true
	}
	if seen["TransactWriteItems"] {
		delete(seen, "TransactWriteItems") // authorized per item operation
		for _, m := range regexp.MustCompile(`&types\.(Put|Delete|Update|ConditionCheck)\{`).FindAllStringSubmatch(string(src), -1) {
			seen[map[string]string{"Put": "PutItem", "Delete": "DeleteItem", "Update": "UpdateItem", "ConditionCheck": "ConditionCheckItem"}[m[1]]] = true
		}
	}
	var used []string
	for a := range seen {
		used = append(used, a)
	}
	sort.Strings(used)
	if len(used) == 0 {
		t.Fatal("found no DynamoDB calls in the store's source")
	}
	return used
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
		{"encryption", at(t, props, "SSESpecification", "SSEEnabled"), true},
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
