package alexa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrNoAPIAccess means the request carried no apiEndpoint, access token or device ID, so
// Alexa's APIs cannot be called for it.
var ErrNoAPIAccess = errors.New("request carries no Alexa API access")

// Settings reads device settings through the Alexa Settings API.
type Settings struct {
	// Client makes the calls; nil means http.DefaultClient.
	Client *http.Client
	// Timeout bounds each call, because the skill must answer within Alexa's 8 s whatever
	// the API does; zero means one second.
	Timeout time.Duration
}

// TimeZone returns the IANA time zone name set on the device the request came from, such as
// "America/Los_Angeles".
func (s Settings) TimeZone(ctx context.Context, sys System) (string, error) {
	if sys.APIEndpoint == "" || sys.APIAccessToken == "" || sys.Device.DeviceID == "" {
		return "", ErrNoAPIAccess
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	path := "/v2/devices/" + url.PathEscape(sys.Device.DeviceID) + "/settings/System.timeZone"
	resp, err := send(ctx, s.Client, sys, http.MethodGet, path, nil)
	if err != nil {
		return "", fmt.Errorf("time zone request: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if err != nil {
		return "", fmt.Errorf("time zone response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("time zone response: status %d", resp.StatusCode)
	}
	var zone string
	if err := json.Unmarshal(body, &zone); err != nil {
		return "", fmt.Errorf("time zone response: %w", err)
	}
	return zone, nil
}

// send makes a request to Alexa's API at sys's endpoint with sys's access token, through
// client (nil for http.DefaultClient); a body is JSON. Its errors leave out the URL.
func send(ctx context.Context, client *http.Client, sys System, method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(sys.APIEndpoint, "/")+path, body)
	if err != nil {
		return nil, withoutURL(err)
	}
	req.Header.Set("Authorization", "Bearer "+sys.APIAccessToken)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, withoutURL(err)
	}
	return resp, nil
}

// withoutURL is err without the URL that net/http puts in its errors: Alexa's API paths
// name the device or a reminder's token, neither of which belongs in a log line.
func withoutURL(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
