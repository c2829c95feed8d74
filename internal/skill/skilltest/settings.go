package skilltest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// SettingsAPI stands in for the Alexa Settings API: it answers every device's time zone
// request with Zone, or misbehaves as Mode says ("error": a 500, "hang": no answer for 10 s).
// It checks the path and the bearer token ("token") that Session requests carry.
type SettingsAPI struct {
	mu    sync.Mutex
	zone  string
	mode  string
	calls int
}

// Set changes the zone and the mode.
func (a *SettingsAPI) Set(zone, mode string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.zone, a.mode = zone, mode
}

// Calls counts the requests served.
func (a *SettingsAPI) Calls() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls
}

// ServeHTTP answers GET {apiEndpoint}/v2/devices/{deviceId}/settings/System.timeZone.
func (a *SettingsAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.calls++
	zone, mode := a.zone, a.mode
	a.mu.Unlock()
	if !strings.HasSuffix(r.URL.Path, "/settings/System.timeZone") || r.Header.Get("Authorization") != "Bearer token" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	switch mode {
	case "error":
		http.Error(w, `{"type":"INTERNAL_ERROR"}`, http.StatusInternalServerError)
	case "hang":
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	default:
		if zone == "" {
			zone = "UTC"
		}
		json.NewEncoder(w).Encode(zone)
	}
}
