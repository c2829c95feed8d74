package alexa

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestTimeZone(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		wantZone string
		wantErr  bool
	}{
		{"ok", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v2/devices/dev%2F1/settings/System.timeZone" && r.URL.RawPath != "/v2/devices/dev%2F1/settings/System.timeZone" {
				http.Error(w, "wrong path "+r.URL.Path, http.StatusNotFound)
				return
			}
			if r.Header.Get("Authorization") != "Bearer tok" {
				http.Error(w, "no token", http.StatusUnauthorized)
				return
			}
			w.Write([]byte(`"Asia/Kolkata"`))
		}, "Asia/Kolkata", false},
		{"server error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) }, "", true},
		{"not a string", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"zone":1}`)) }, "", true},
		{"hangs", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			sys := System{APIEndpoint: srv.URL, APIAccessToken: "tok", Device: Device{DeviceID: "dev/1"}}
			got, err := Settings{Timeout: 200 * time.Millisecond}.TimeZone(context.Background(), sys)
			if (err != nil) != tt.wantErr || got != tt.wantZone {
				t.Errorf("got %q, %v; want %q, error %v", got, err, tt.wantZone, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "dev") {
				t.Errorf("the error, which is logged, names the device: %v", err)
			}
		})
	}
	t.Run("no api access", func(t *testing.T) {
		_, err := Settings{}.TimeZone(context.Background(), System{})
		if !errors.Is(err, ErrNoAPIAccess) {
			t.Errorf("got %v, want ErrNoAPIAccess", err)
		}
	})
}
