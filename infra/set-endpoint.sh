#!/usr/bin/env bash
# Writes the deployed function's ARN (the stack output SkillFunctionArn) into
# skill-package/skill.json, for `ask deploy`. Usage: infra/set-endpoint.sh [stack-name]
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${1:-spine-opener}
command -v aws >/dev/null 2>&1 || { echo "the AWS CLI is not installed: https://docs.aws.amazon.com/cli/" >&2; exit 1; }
arn=$(aws cloudformation describe-stacks --stack-name "$stack" \
  --query "Stacks[0].Outputs[?OutputKey=='SkillFunctionArn'].OutputValue" --output text)
if [ -z "$arn" ] || [ "$arn" = "None" ]; then
  echo "stack $stack has no SkillFunctionArn output: has 'sam deploy' finished?" >&2
  exit 1
fi
go run ./infra/setendpoint -arn "$arn"
