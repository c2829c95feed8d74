package lambdahost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const apiPrefix = "/2018-06-01/runtime/"

// Result is what the function answered to one invocation: a response or an error.
type Result struct {
	Response []byte
	Error    *FunctionError
	// Took is the time from an instance taking the invocation to its answer: what the
	// caller would wait with an instance free.
	Took time.Duration
}

// FunctionError is the body a function posts to invocation/{id}/error or init/error.
type FunctionError struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorType    string `json:"errorType"`
}

type invocation struct {
	id      string
	payload []byte
	timeout time.Duration
	at      time.Time // the platform clock at the start; zero for the host's
	taken   time.Time
	done    chan Result
}

// Host serves the Runtime API.
type Host struct {
	// Timeout is each invocation's deadline, passed to the function as
	// Lambda-Runtime-Deadline-Ms; zero means 7 s, the skill's Lambda timeout.
	Timeout time.Duration

	srv    *http.Server
	addr   string
	queue  chan *invocation
	nextID atomic.Int64
	polls  atomic.Int64

	mu         sync.Mutex
	inFlight   map[string]*invocation
	initErrors []FunctionError
}

// New starts a host on a free loopback port.
func New() (*Host, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("runtime API: %w", err)
	}
	h := &Host{addr: l.Addr().String(), queue: make(chan *invocation), inFlight: map[string]*invocation{}}
	h.srv = &http.Server{Handler: http.HandlerFunc(h.serve)}
	go h.srv.Serve(l)
	return h, nil
}

// Addr is the host:port to give a function as AWS_LAMBDA_RUNTIME_API.
func (h *Host) Addr() string { return h.addr }

// Polls counts the function's requests for its next invocation: a function is ready when it
// has made one.
func (h *Host) Polls() int64 { return h.polls.Load() }

// InitErrors returns what functions reported to init/error.
func (h *Host) InitErrors() []FunctionError {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]FunctionError(nil), h.initErrors...)
}

// Close stops serving.
func (h *Host) Close() error { return h.srv.Close() }

// Invoke hands payload to the next function instance that asks for work and waits for its
// answer, or for ctx.
func (h *Host) Invoke(ctx context.Context, payload []byte) (Result, error) {
	return h.InvokeAt(ctx, payload, time.Time{})
}

// InvokeAt is Invoke as if the platform's clock read at when the invocation starts: its
// deadline is at plus Timeout, which is what a function learns of the time from Lambda
// (aws-lambda-go puts it in the context). A zero at is the host's own clock. Tests use it to
// play conversations that span hours or days; at should not be in the past, or the
// function's context is already over.
func (h *Host) InvokeAt(ctx context.Context, payload []byte, at time.Time) (Result, error) {
	timeout := h.Timeout
	if timeout == 0 {
		timeout = 7 * time.Second
	}
	inv := &invocation{id: "inv-" + strconv.FormatInt(h.nextID.Add(1), 10), payload: payload, timeout: timeout, at: at, done: make(chan Result, 1)}
	select {
	case h.queue <- inv:
	case <-ctx.Done():
		return Result{}, fmt.Errorf("no function took the invocation: %w", ctx.Err())
	}
	select {
	case r := <-inv.done:
		return r, nil
	case <-ctx.Done():
		return Result{}, fmt.Errorf("invocation %s got no answer: %w", inv.id, ctx.Err())
	}
}

func (h *Host) serve(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.Path, apiPrefix)
	switch {
	case !ok:
		http.NotFound(w, r)
	case r.Method == http.MethodGet && path == "invocation/next":
		h.next(w, r)
	case r.Method == http.MethodPost && path == "init/error":
		var fe FunctionError
		json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&fe)
		h.mu.Lock()
		h.initErrors = append(h.initErrors, fe)
		h.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	case r.Method == http.MethodPost && strings.HasPrefix(path, "invocation/"):
		h.answer(w, r, strings.TrimPrefix(path, "invocation/"))
	default:
		http.NotFound(w, r)
	}
}

func (h *Host) next(w http.ResponseWriter, r *http.Request) {
	h.polls.Add(1)
	var inv *invocation
	select {
	case inv = <-h.queue:
	case <-r.Context().Done():
		return
	}
	if r.Context().Err() != nil { // the instance went away as the work arrived: hand it on
		go func() { h.queue <- inv }()
		return
	}
	h.mu.Lock()
	inv.taken = time.Now()
	h.inFlight[inv.id] = inv
	h.mu.Unlock()
	start := inv.at
	if start.IsZero() {
		start = time.Now()
	}
	deadline := start.Add(inv.timeout).UnixMilli()
	w.Header().Set("Lambda-Runtime-Aws-Request-Id", inv.id)
	w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(deadline, 10))
	w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:spine-opener-skill")
	w.Header().Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0")
	w.Header().Set("Content-Type", "application/json")
	w.Write(inv.payload)
}

func (h *Host) answer(w http.ResponseWriter, r *http.Request, rest string) {
	id, kind, ok := strings.Cut(rest, "/")
	if !ok || (kind != "response" && kind != "error") {
		http.NotFound(w, r)
		return
	}
	h.mu.Lock()
	inv := h.inFlight[id]
	delete(h.inFlight, id)
	h.mu.Unlock()
	if inv == nil {
		http.Error(w, `{"errorMessage":"unknown invocation","errorType":"InvalidRequestID"}`, http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 6<<20)) // Lambda's synchronous response limit
	if err != nil {
		body = nil
	}
	res := Result{Took: time.Since(inv.taken)}
	if kind == "response" {
		res.Response = body
	} else {
		res.Error = &FunctionError{}
		if json.Unmarshal(body, res.Error) != nil {
			res.Error.ErrorMessage = string(body)
		}
	}
	inv.done <- res
	w.WriteHeader(http.StatusAccepted)
}

// Process is one running function instance. Its output goes straight to a file, as
// Lambda collects a function's logs outside the sandbox, so the host spends no time on it.
type Process struct {
	cmd    *exec.Cmd
	output *os.File
	exited chan error
}

// Launch starts binary as a function instance of h, with env as its environment (plus
// AWS_LAMBDA_RUNTIME_API), and returns at once.
func (h *Host) Launch(binary string, env []string) (*Process, error) {
	out, err := os.CreateTemp("", "lambda-output-*.log")
	if err != nil {
		return nil, err
	}
	os.Remove(out.Name()) // the open file lives on until closed
	p := &Process{cmd: exec.Command(binary), output: out, exited: make(chan error, 1)}
	p.cmd.Env = append(env, "AWS_LAMBDA_RUNTIME_API="+h.addr)
	p.cmd.Stdout, p.cmd.Stderr = out, out
	if err := p.cmd.Start(); err != nil {
		out.Close()
		return nil, err
	}
	go func() { p.exited <- p.cmd.Wait() }()
	return p, nil
}

// Start is Launch, returning once the process has asked for its first invocation.
func (h *Host) Start(binary string, env []string) (*Process, error) {
	before := h.Polls()
	p, err := h.Launch(binary, env)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for h.Polls() == before {
		select {
		case err := <-p.exited:
			p.exited <- err
			return nil, fmt.Errorf("function exited before asking for work (%v):\n%s", err, p.Output())
		case <-time.After(time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.Stop()
			return nil, errors.New("function did not ask for work within 30 s")
		}
	}
	return p, nil
}

// Output is everything the process has written: its log lines.
func (p *Process) Output() string {
	b, err := io.ReadAll(io.NewSectionReader(p.output, 0, 1<<30))
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case err := <-p.exited:
		p.exited <- err
		return true
	default:
		return false
	}
}

// Stop kills the process. Output stays readable.
func (p *Process) Stop() {
	p.cmd.Process.Kill()
	<-p.exited
	p.exited <- nil
}
