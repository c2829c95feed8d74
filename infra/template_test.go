package infra_test

import (
	"encoding/json"
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
	"github.com/spine-opener/spine-opener/internal/metrics"
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
	// The handler's clock is the invocation's deadline less the timeout main.go assumes.
	src, err := os.ReadFile("../functions/skill/main.go")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`const functionTimeout = (\d+) \* time\.Second`).FindSubmatch(src)
	if timeout, _ := number(prop("Timeout")); m == nil || fmt.Sprint(timeout) != string(m[1]) {
		t.Errorf("main.go's functionTimeout (%s s) must be the function's Timeout (%v s)", m, prop("Timeout"))
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

// resources returns the template's resources of type typ, by logical ID.
func resources(t *testing.T, tmpl map[string]any, typ string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for id, r := range at(t, tmpl, "Resources").(map[string]any) {
		if res, ok := r.(map[string]any); ok && res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// watched is one metric an alarm reads: a plain alarm's own, or one of a metric math
// alarm's MetricStats (with the ID the expression calls it by).
type watched struct {
	id, namespace, metric, stat string
	dimensions                  map[string]any // name to value, !Ref left as a map
}

func watchedMetrics(props map[string]any) []watched {
	dims := func(v any) map[string]any {
		m := map[string]any{}
		list, _ := v.([]any)
		for _, d := range list {
			if d, ok := d.(map[string]any); ok {
				name, _ := d["Name"].(string)
				m[name] = d["Value"]
			}
		}
		return m
	}
	str := func(v any) string { s, _ := v.(string); return s }
	if list, ok := props["Metrics"].([]any); ok {
		var out []watched
		for _, q := range list {
			q, _ := q.(map[string]any)
			stat, _ := q["MetricStat"].(map[string]any)
			metric, _ := stat["Metric"].(map[string]any)
			if metric != nil {
				out = append(out, watched{str(q["Id"]), str(metric["Namespace"]), str(metric["MetricName"]), str(stat["Stat"]), dims(metric["Dimensions"])})
			}
		}
		return out
	}
	stat := str(props["Statistic"])
	if stat == "" {
		stat = str(props["ExtendedStatistic"])
	}
	return []watched{{"", str(props["Namespace"]), str(props["MetricName"]), stat, dims(props["Dimensions"])}}
}

// alarmProblems says what is wrong with the template's alarms and where they go: every
// alarm to the topic, the subscription only with an address, the alarms the issue asks for
// on the metrics they need, and the skill's own metrics named as internal/metrics emits
// them.
func alarmProblems(t *testing.T, tmpl map[string]any) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	if p, _ := at(t, tmpl, "Parameters", "AlarmEmail").(map[string]any); p == nil || p["Type"] != "String" || p["Default"] != "" {
		bad("parameter AlarmEmail %v: want an optional String (Default \"\")", p)
	}
	wantCondition := map[string]any{"Fn::Not": []any{map[string]any{"Fn::Equals": []any{ref("AlarmEmail"), ""}}}}
	condition := ""
	for name, c := range at(t, tmpl, "Conditions").(map[string]any) {
		if reflect.DeepEqual(c, wantCondition) {
			condition = name
		}
	}
	if condition == "" {
		bad("no condition that AlarmEmail is not empty (!Not [!Equals [!Ref AlarmEmail, \"\"]])")
	}
	topics := resources(t, tmpl, "AWS::SNS::Topic")
	if len(topics) != 1 {
		bad("%d SNS topics: want one for the alarms", len(topics))
	}
	var topic string
	for id := range topics {
		topic = id
	}
	subs := resources(t, tmpl, "AWS::SNS::Subscription")
	if len(subs) == 0 {
		bad("no e-mail subscription to the alarm topic")
	}
	for id, sub := range subs {
		props, _ := sub["Properties"].(map[string]any)
		if sub["Condition"] != condition || condition == "" {
			bad("subscription %s: Condition %v, want the condition that AlarmEmail is set", id, sub["Condition"])
		}
		if !reflect.DeepEqual(props["TopicArn"], ref(topic)) || props["Protocol"] != "email" || !reflect.DeepEqual(props["Endpoint"], ref("AlarmEmail")) {
			bad("subscription %s: %v, want protocol email to !Ref AlarmEmail on the alarm topic", id, props)
		}
	}

	timeout, _ := number(at(t, tmpl, "Globals", "Function", "Timeout"))
	if v, ok := number(at(t, tmpl, "Resources", "SkillFunction", "Properties", "Timeout")); ok {
		timeout = v
	}
	function, table := ref("SkillFunction"), ref("Table")
	found := map[string]bool{}
	for id, alarm := range resources(t, tmpl, "AWS::CloudWatch::Alarm") {
		props, _ := alarm["Properties"].(map[string]any)
		for _, actions := range []string{"AlarmActions", "OKActions"} {
			if !reflect.DeepEqual(props[actions], []any{ref(topic)}) {
				bad("alarm %s: %s %v, want [!Ref %s]", id, actions, props[actions], topic)
			}
		}
		if props["TreatMissingData"] != "notBreaching" {
			bad("alarm %s: TreatMissingData %v, want notBreaching", id, props["TreatMissingData"])
		}
		threshold, _ := number(props["Threshold"])
		op, _ := props["ComparisonOperator"].(string)
		if threshold <= 0 || !strings.HasPrefix(op, "GreaterThan") {
			bad("alarm %s: %s %v: want a rise above a positive threshold", id, op, props["Threshold"])
		}
		ws := watchedMetrics(props)
		for _, w := range ws {
			switch w.namespace {
			case metrics.Namespace:
				if !slices.Contains(metrics.Names(), w.metric) {
					bad("alarm %s: %s/%s is none of the metrics internal/metrics emits %v", id, w.namespace, w.metric, metrics.Names())
				}
				if !reflect.DeepEqual(w.dimensions, map[string]any{metrics.FunctionDimension: function}) {
					bad("alarm %s: dimensions %v, want %s: !Ref SkillFunction, as the function logs them", id, w.dimensions, metrics.FunctionDimension)
				}
				if w.metric == "Errors" && w.stat == "Sum" {
					found["the skill's Errors"] = true
				}
			case "AWS/Lambda":
				if !reflect.DeepEqual(w.dimensions, map[string]any{"FunctionName": function}) {
					bad("alarm %s: dimensions %v, want FunctionName: !Ref SkillFunction", id, w.dimensions)
				}
				switch {
				case w.metric == "Errors" && w.stat == "Sum" && threshold <= 1:
					found["function errors"] = true
				case w.metric == "Throttles" && w.stat == "Sum" && threshold <= 1:
					found["function throttles"] = true
				case w.metric == "Duration" && w.stat == "p99":
					if threshold >= timeout*1000 {
						bad("alarm %s: a p99 budget of %v ms is not under the function's %v s timeout", id, threshold, timeout)
					}
					if props["EvaluateLowSampleCountPercentile"] != "evaluate" {
						bad("alarm %s: EvaluateLowSampleCountPercentile %v: want evaluate, or a p99 waits for 1,000 requests a period", id, props["EvaluateLowSampleCountPercentile"])
					}
					found["p99 duration"] = true
				}
			case "AWS/DynamoDB":
				if w.metric == "ThrottledRequests" {
					bad("alarm %s: ThrottledRequests exists only per TableName and Operation, and counts a batch only when all of it is throttled: watch ReadThrottleEvents and WriteThrottleEvents", id)
				} else if !reflect.DeepEqual(w.dimensions, map[string]any{"TableName": table}) {
					bad("alarm %s: dimensions %v, want TableName: !Ref Table (the per-table throttle events need no Operation)", id, w.dimensions)
				}
			default:
				bad("alarm %s: namespace %q", id, w.namespace)
			}
		}
		// The table's throttling: read and write throttle events, summed, each filled with
		// zero since DynamoDB publishes them only when there is throttling.
		events := map[string]string{}
		var expression string
		for _, w := range ws {
			if w.namespace == "AWS/DynamoDB" && w.stat == "Sum" {
				events[w.metric] = w.id
			}
		}
		queries, _ := props["Metrics"].([]any)
		for _, q := range queries {
			if q, _ := q.(map[string]any); q["ReturnData"] == true {
				expression, _ = q["Expression"].(string)
			}
		}
		if reads, writes := events["ReadThrottleEvents"], events["WriteThrottleEvents"]; reads != "" && writes != "" {
			compact := strings.ReplaceAll(expression, " ", "")
			if strings.Contains(compact, "FILL("+reads+",0)") && strings.Contains(compact, "FILL("+writes+",0)") && threshold <= 1 {
				found["table throttles"] = true
			} else {
				bad("alarm %s: expression %q (threshold %v): want FILL(%s, 0) + FILL(%s, 0) at 1 or more", id, expression, threshold, reads, writes)
			}
		}
	}
	for _, want := range []string{"function errors", "function throttles", "table throttles", "p99 duration", "the skill's Errors"} {
		if !found[want] {
			bad("no alarm on %s", want)
		}
	}
	return problems
}

// TestAlarms holds the alarms to the issue: function errors and throttles, the table's
// throttling and a p99 duration budget (and the skill's own Errors), every one to the SNS
// topic, which mails AlarmEmail only when it is set.
func TestAlarms(t *testing.T) {
	if problems := alarmProblems(t, loadTemplate(t)); len(problems) > 0 {
		t.Errorf("alarms:\n%s", strings.Join(problems, "\n"))
	}

	// Each of these changes must be caught.
	props := func(tmpl map[string]any, id string) map[string]any {
		return at(t, tmpl, "Resources", id, "Properties").(map[string]any)
	}
	mutations := []struct {
		name   string
		mutate func(tmpl map[string]any)
	}{
		{"an alarm without actions", func(tmpl map[string]any) { delete(props(tmpl, "FunctionErrorsAlarm"), "AlarmActions") }},
		{"an alarm to another topic", func(tmpl map[string]any) {
			props(tmpl, "FunctionThrottlesAlarm")["AlarmActions"] = []any{"arn:aws:sns:us-east-1:123456789012:other"}
		}},
		{"missing data as breaching", func(tmpl map[string]any) { props(tmpl, "SkillErrorsAlarm")["TreatMissingData"] = "breaching" }},
		{"no duration alarm", func(tmpl map[string]any) { delete(at(t, tmpl, "Resources").(map[string]any), "FunctionDurationAlarm") }},
		{"an average for the p99", func(tmpl map[string]any) {
			p := props(tmpl, "FunctionDurationAlarm")
			delete(p, "ExtendedStatistic")
			p["Statistic"] = "Average"
		}},
		{"a budget past the timeout", func(tmpl map[string]any) { props(tmpl, "FunctionDurationAlarm")["Threshold"] = 7000 }},
		{"the errors alarm on another function", func(tmpl map[string]any) {
			props(tmpl, "FunctionErrorsAlarm")["Dimensions"] = []any{map[string]any{"Name": "FunctionName", "Value": "other"}}
		}},
		{"throttled requests without an operation", func(tmpl map[string]any) {
			p := props(tmpl, "TableThrottlesAlarm")
			stat := at(t, p, "Metrics", 0, "MetricStat", "Metric").(map[string]any)
			stat["MetricName"] = "ThrottledRequests"
		}},
		{"throttle events unfilled", func(tmpl map[string]any) {
			at(t, props(tmpl, "TableThrottlesAlarm"), "Metrics", 2).(map[string]any)["Expression"] = "reads + writes"
		}},
		{"a skill metric the code does not emit", func(tmpl map[string]any) { props(tmpl, "UnsavedCompletionsAlarm")["MetricName"] = "LostRoutines" }},
		{"a skill metric without its dimension", func(tmpl map[string]any) { delete(props(tmpl, "SkillErrorsAlarm"), "Dimensions") }},
		{"a subscription without the condition", func(tmpl map[string]any) {
			delete(at(t, tmpl, "Resources", "AlarmEmailSubscription").(map[string]any), "Condition")
		}},
		{"a required e-mail", func(tmpl map[string]any) {
			delete(at(t, tmpl, "Parameters", "AlarmEmail").(map[string]any), "Default")
		}},
	}
	for _, m := range mutations {
		tmpl := loadTemplate(t)
		m.mutate(tmpl)
		if problems := alarmProblems(t, tmpl); len(problems) == 0 {
			t.Errorf("a template with %s passes", m.name)
		} else {
			t.Logf("%s: %s", m.name, strings.Join(problems, "; "))
		}
	}
}

// TestDashboard: the dashboard is named per stack and region, its body is valid JSON once
// CloudFormation has substituted it, substitutes only names the template defines, and shows
// only metrics that exist, on this stack's function and table; among them every metric
// internal/metrics emits.
func TestDashboard(t *testing.T) {
	tmpl := loadTemplate(t)
	boards := resources(t, tmpl, "AWS::CloudWatch::Dashboard")
	if len(boards) != 1 {
		t.Fatalf("%d dashboards, want 1", len(boards))
	}
	var body string
	for id, b := range boards {
		// Dashboards are global to an account; the stack is deployed to several regions.
		if name, _ := at(t, b, "Properties", "DashboardName", "Fn::Sub").(string); !strings.Contains(name, "${AWS::Region}") || !strings.Contains(name, "${AWS::StackName}") {
			t.Errorf("dashboard %s: DashboardName %v: want the stack's name and its region, since dashboards are global and the stack is in several regions",
				id, at(t, b, "Properties", "DashboardName"))
		}
		var ok bool
		if body, ok = at(t, b, "Properties", "DashboardBody", "Fn::Sub").(string); !ok {
			t.Fatalf("dashboard %s: DashboardBody is not a !Sub string", id)
		}
	}
	names := at(t, tmpl, "Resources").(map[string]any)
	params := at(t, tmpl, "Parameters").(map[string]any)
	substituted := regexp.MustCompile(`\$\{([^}]*)\}`).ReplaceAllStringFunc(body, func(m string) string {
		name := m[2 : len(m)-1]
		base, _, _ := strings.Cut(name, ".")
		if names[base] == nil && params[name] == nil && !slices.Contains([]string{"AWS::Region", "AWS::StackName", "AWS::AccountId", "AWS::Partition", "AWS::URLSuffix"}, name) {
			t.Errorf("the dashboard substitutes %s, which the template does not define", m)
		}
		return "dummy-" + strings.ReplaceAll(name, "::", "-")
	})
	var doc struct {
		Widgets []struct {
			Type       string
			Properties struct {
				Region      string
				Stat        string
				Metrics     [][]any
				Annotations struct {
					Horizontal []struct{ Value float64 }
				}
				Title string
			}
		}
	}
	if err := json.Unmarshal([]byte(substituted), &doc); err != nil {
		t.Fatalf("the dashboard body is not JSON after substitution: %v\n%s", err, substituted)
	}
	if len(doc.Widgets) == 0 {
		t.Fatal("the dashboard has no widgets")
	}
	known := map[string][]string{
		metrics.Namespace: metrics.Names(),
		"AWS/Lambda":      {"Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions"},
		"AWS/DynamoDB":    {"ReadThrottleEvents", "WriteThrottleEvents", "ThrottledRequests", "SuccessfulRequestLatency", "ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits"},
	}
	dimensions := map[string]map[string]string{
		metrics.Namespace: {metrics.FunctionDimension: "dummy-SkillFunction"},
		"AWS/Lambda":      {"FunctionName": "dummy-SkillFunction"},
		"AWS/DynamoDB":    {"TableName": "dummy-Table"},
	}
	stat := regexp.MustCompile(`^(Sum|Average|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d+)?)$`)
	shown := map[string]bool{}
	var budgets []float64
	for _, w := range doc.Widgets {
		if w.Type != "metric" {
			continue
		}
		p := w.Properties
		if p.Region != "dummy-AWS-Region" {
			t.Errorf("widget %q: region %q, want ${AWS::Region}", p.Title, p.Region)
		}
		for _, m := range p.Metrics {
			var fields []string
			opts := map[string]any{}
			for _, f := range m {
				switch f := f.(type) {
				case string:
					fields = append(fields, f)
				case map[string]any:
					opts = f
				}
			}
			if len(fields) < 2 || len(fields)%2 != 0 {
				t.Errorf("widget %q: metric %v: want namespace, name and dimension pairs (no \".\" shorthand)", p.Title, m)
				continue
			}
			ns, name := fields[0], fields[1]
			if !slices.Contains(known[ns], name) {
				t.Errorf("widget %q: %s/%s is not a metric that exists", p.Title, ns, name)
			}
			dims := map[string]string{}
			for i := 2; i < len(fields); i += 2 {
				dims[fields[i]] = fields[i+1]
			}
			if !reflect.DeepEqual(dims, dimensions[ns]) {
				t.Errorf("widget %q: %s/%s with dimensions %v, want %v", p.Title, ns, name, dims, dimensions[ns])
			}
			s, _ := opts["stat"].(string)
			if s == "" {
				s = p.Stat
			}
			if !stat.MatchString(s) {
				t.Errorf("widget %q: %s/%s: statistic %q", p.Title, ns, name, s)
			}
			if ns == metrics.Namespace {
				shown[name] = true
			}
			if ns == "AWS/Lambda" && name == "Duration" {
				for _, a := range p.Annotations.Horizontal {
					budgets = append(budgets, a.Value)
				}
			}
		}
	}
	for _, name := range metrics.Names() {
		if !shown[name] {
			t.Errorf("the dashboard does not show %s", name)
		}
	}
	threshold, _ := number(at(t, tmpl, "Resources", "FunctionDurationAlarm", "Properties", "Threshold"))
	if !slices.Contains(budgets, threshold) {
		t.Errorf("the duration widget marks %v; the p99 alarm's budget is %v ms", budgets, threshold)
	}
}
