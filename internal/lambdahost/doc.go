// Package lambdahost plays AWS Lambda for a compiled function: it serves the Lambda Runtime
// API (invocation/next, invocation/{id}/response, invocation/{id}/error, init/error) on a
// loopback port and starts function processes against it. Several processes may share one
// host, as concurrent instances of one function do. The end-to-end tests and the benchmark
// in infra/lambdabench run the real bootstrap binary through it.
package lambdahost
