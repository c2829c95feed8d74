package alexa

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata from what the code produces")

// roundTrip decodes a fixture strictly into into and encodes it again, failing the test if a
// field is unknown or does not survive.
func roundTrip(t *testing.T, file string, into any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	out, err := json.Marshal(into)
	if err != nil {
		t.Fatalf("encode %s: %v", file, err)
	}
	var got, want any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip of %s changed the JSON\ngot:  %s\nwant: %s", file, out, raw)
	}
}

// golden compares got with testdata/file as JSON values, or rewrites the file with -update.
func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, got, "", "  "); err != nil {
			t.Fatal(err)
		}
		pretty.WriteByte('\n')
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: produced JSON does not decode: %v\n%s", file, err, got)
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s differs (go test -run %s -update rewrites it)\ngot:  %s\nwant: %s", file, t.Name(), got, raw)
	}
}

func TestConsentRoundTrip(t *testing.T) {
	tests := []struct {
		file string
		into any
	}{
		{"connections-response-accepted.json", &Request{}},
		{"connections-response-denied.json", &Request{}},
		{"connections-response-not-answered.json", &Request{}},
		{"connections-response-failed.json", &Request{}},
		{"session-resumed-consent.json", &Request{}},
		{"skill-permission-accepted.json", &Request{}},
		{"skill-permission-changed.json", &Request{}},
		{"launch-person.json", &Request{}},
		{"response-askfor.json", &Response{}},
		{"directive-askfor-reminders.json", &SendRequestDirective{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { roundTrip(t, tt.file, tt.into) })
	}
}

func TestAskForRemindersPermission(t *testing.T) {
	golden(t, "directive-askfor-reminders.json", AskForRemindersPermission("reminder:daily:20:00"))

	// The directive sits in a response's directives as Amazon's example shows it.
	var want Response
	roundTrip(t, "response-askfor.json", &want)
	if len(want.Body.Directives) != 1 || !jsonEqual(t, want.Body.Directives[0], AskForRemindersPermission("reminder:daily:20:00")) {
		t.Errorf("response-askfor.json does not carry the directive AskForRemindersPermission builds")
	}
	if want.Body.ShouldEndSession != nil || want.Body.Reprompt != nil {
		t.Errorf("a response handing the turn to Alexa has no reprompt and no shouldEndSession")
	}

	// The token is sent even when empty, as Amazon's examples send it.
	var d map[string]any
	if err := json.Unmarshal(AskForRemindersPermission(""), &d); err != nil {
		t.Fatal(err)
	}
	if tok, ok := d["token"]; !ok || tok != "" {
		t.Errorf("empty token: got %v (present %v), want \"\"", tok, ok)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

func TestPermissionAnswer(t *testing.T) {
	tests := []struct {
		file     string
		scope    string
		wantOK   bool
		want     PermissionAnswer
		accepted bool
	}{
		{"connections-response-accepted.json", PermissionReminders, true,
			PermissionAnswer{Status: ConsentAccepted, Token: "reminder:daily:20:00", Code: "200"}, true},
		{"connections-response-denied.json", PermissionReminders, true,
			PermissionAnswer{Status: ConsentDenied, Token: "reminder:daily:20:00", Code: "200"}, false},
		{"connections-response-not-answered.json", PermissionReminders, true,
			PermissionAnswer{Status: ConsentNotAnswered, Code: "200", CardSent: true}, false},
		{"connections-response-failed.json", PermissionReminders, true,
			PermissionAnswer{Token: "reminder:daily:20:00", Code: "400"}, false},
		{"session-resumed-consent.json", PermissionReminders, true,
			PermissionAnswer{Status: ConsentAccepted, Token: "reminder:daily:20:00", Code: "200"}, true},
		// An answer about another scope is no answer about this one.
		{"connections-response-accepted.json", PermissionPersonID, true,
			PermissionAnswer{Token: "reminder:daily:20:00", Code: "200"}, false},
		{"connections-response-denied.json", PermissionPersonID, true,
			PermissionAnswer{Token: "reminder:daily:20:00", Code: "200"}, false},
		{"launch.json", PermissionReminders, false, PermissionAnswer{}, false},
		{"skill-permission-accepted.json", PermissionReminders, false, PermissionAnswer{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.scope, func(t *testing.T) {
			r := decodeRequest(t, tt.file)
			got, ok := r.PermissionAnswer(tt.scope)
			if ok != tt.wantOK || got != tt.want || got.Accepted() != tt.accepted {
				t.Errorf("got %+v, %v (accepted %v), want %+v, %v (accepted %v)", got, ok, got.Accepted(), tt.want, tt.wantOK, tt.accepted)
			}
		})
	}
	t.Run("unknown status", func(t *testing.T) {
		r := decodeRequest(t, "connections-response-accepted.json")
		r.Body.Payload.Status = "MAYBE"
		if got, _ := r.PermissionAnswer(PermissionReminders); got.Status != "" || got.Accepted() {
			t.Errorf("got %+v, want no status", got)
		}
	})
	t.Run("another task", func(t *testing.T) {
		r := decodeRequest(t, "connections-response-accepted.json")
		r.Body.Name = "Buy"
		if _, ok := r.PermissionAnswer(PermissionReminders); ok {
			t.Errorf("a Connections.Response to Buy read as a permission answer")
		}
	})
}

func TestPermissionGranted(t *testing.T) {
	tests := []struct {
		file              string
		scope             string
		wantGranted, want bool
	}{
		{"skill-permission-accepted.json", PermissionReminders, true, true},
		{"skill-permission-accepted.json", PermissionPersonID, true, true},
		{"skill-permission-changed.json", PermissionReminders, false, true},
		{"skill-permission-changed.json", PermissionPersonID, true, true},
		{"skill-disabled.json", PermissionReminders, false, false},
		{"connections-response-accepted.json", PermissionReminders, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.scope, func(t *testing.T) {
			granted, ok := decodeRequest(t, tt.file).PermissionGranted(tt.scope)
			if granted != tt.wantGranted || ok != tt.want {
				t.Errorf("got %v, %v, want %v, %v", granted, ok, tt.wantGranted, tt.want)
			}
		})
	}
}

func TestPersonID(t *testing.T) {
	if got, want := decodeRequest(t, "launch-person.json").PersonID(), "amzn1.ask.person.TESTPERSON"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := decodeRequest(t, "launch.json").PersonID(); got != "" {
		t.Errorf("no person: got %q, want \"\"", got)
	}
}

func decodeRequest(t *testing.T, file string) Request {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	var r Request
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	return r
}
