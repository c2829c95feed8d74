// Package infra holds the deployment scripts' tests: they parse template.yaml and the skill
// package and hold them to what the code does. The scripts themselves are beside this file.
package infra
