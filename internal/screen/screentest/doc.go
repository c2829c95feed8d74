// Package screentest checks APL documents and directives in tests with Amazon's own
// validator: the npm package apl-suggester (its StaticAplTemplateValidator, pinned in
// infra/node, installed into .cache/node by infra/node-tools.sh) run by node on
// infra/node/apl-check.mjs, which also checks what the validator leaves out (component
// handlers' commands, unknown component and command types, the directive envelope).
//
// Its checks fail the test, never skip it, when node or the package is missing.
package screentest
