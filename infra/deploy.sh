#!/usr/bin/env bash
# Deploys Spine Opener everywhere Alexa calls it, in one command. Alexa sends each user's
# requests to the endpoint of their region, so the same stack (template.yaml: the function and
# its own DynamoDB table) goes to each region's AWS region: North America us-east-1, Europe and
# India eu-west-1, Far East and Australia us-west-2. A user lives in one region.
#
#   ./infra/deploy.sh --skill-id amzn1.ask.skill.… \
#       --privacy-policy-url https://… --terms-of-use-url https://… --contact-email you@… \
#       [--alarm-email ops@…] [--stack-name spine-opener] [--package-only] [--dry-run]
#
# Each value may come from the environment instead: SKILL_ID, PRIVACY_POLICY_URL,
# TERMS_OF_USE_URL, CONTACT_EMAIL, ALARM_EMAIL, STACK_NAME. The alarm address (template.yaml's
# AlarmEmail) is optional; each region's stack then mails its alarms there.
#
# 1. checks the parameters (infra/setendpoint -check refuses example.com and other
#    placeholders), before anything is deployed;
# 2. sam build, once (GOFLAGS=-tags=lambda.norpc), and sam deploy to each of the three regions
#    (--package-only skips this step, for a listing or model change);
# 3. reads each stack's SkillFunctionArn and writes build/skill-package/ and its zip: a copy of
#    skill-package/ whose skill.json names the three regional endpoints (the North American one
#    also as the default) and the policy addresses; and build/docs/, the privacy policy and
#    terms of use with the contact address, to publish at those addresses;
# 4. imports the zip into the skill's development stage with the ASK CLI (ask smapi
#    create-upload-url, an HTTP PUT, import-skill-package, get-import-status), the way the ASK
#    CLI's own deploy does.
#
# --dry-run checks the parameters and prints every other command instead of running it.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  sed -n '7,9p' "$0" | sed 's/^# \{0,1\}//' >&2
}

skill_id=${SKILL_ID:-}
privacy_url=${PRIVACY_POLICY_URL:-}
terms_url=${TERMS_OF_USE_URL:-}
contact=${CONTACT_EMAIL:-}
alarm_email=${ALARM_EMAIL:-}
stack=${STACK_NAME:-spine-opener}
dry_run=false
package_only=false
while [ $# -gt 0 ]; do
  case "$1" in
    --skill-id | --privacy-policy-url | --terms-of-use-url | --contact-email | --alarm-email | --stack-name)
      [ $# -ge 2 ] || { echo "deploy: $1 needs a value" >&2; exit 2; }
      case "$1" in
        --skill-id) skill_id=$2 ;;
        --privacy-policy-url) privacy_url=$2 ;;
        --terms-of-use-url) terms_url=$2 ;;
        --contact-email) contact=$2 ;;
        --alarm-email) alarm_email=$2 ;;
        --stack-name) stack=$2 ;;
      esac
      shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    --package-only) package_only=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "deploy: unknown argument $1" >&2; usage; exit 2 ;;
  esac
done

# Alexa's regions and the AWS region of each, as infra/setendpoint names them.
alexa_regions=(NA EU FE)
aws_regions=(us-east-1 eu-west-1 us-west-2)

# run runs a command, or with --dry-run prints it, quoted as a shell would need it.
run() {
  if $dry_run; then
    printf '%q ' "$@" | sed 's/ $//'
    echo
  else
    "$@"
  fi
}

command -v go >/dev/null 2>&1 || { echo "deploy: Go is not installed (https://go.dev/doc/install)" >&2; exit 1; }
params=(-privacy-policy-url "$privacy_url" -terms-of-use-url "$terms_url" -contact-email "$contact")
go run ./infra/setendpoint -check -skill-id "$skill_id" "${params[@]}" >&2
[ -n "$stack" ] || { echo "deploy: the stack name is empty" >&2; exit 2; }

if ! $dry_run; then
  missing=()
  command -v aws >/dev/null 2>&1 || missing+=("the AWS CLI, configured (https://docs.aws.amazon.com/cli/)")
  $package_only || command -v sam >/dev/null 2>&1 || missing+=("the AWS SAM CLI (https://docs.aws.amazon.com/serverless-application-model/)")
  command -v ask >/dev/null 2>&1 || missing+=("the ASK CLI v2: npm install -g ask-cli, then ask configure")
  command -v node >/dev/null 2>&1 || missing+=("Node.js, which the ASK CLI needs")
  command -v curl >/dev/null 2>&1 || missing+=("curl")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "deploy: install first:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 1
  fi
fi

if ! $package_only; then
  overrides=("SkillId=$skill_id")
  [ -z "$alarm_email" ] || overrides+=("AlarmEmail=$alarm_email")
  run env GOFLAGS=-tags=lambda.norpc sam build
  for region in "${aws_regions[@]}"; do
    run sam deploy --region "$region" --stack-name "$stack" --resolve-s3 --capabilities CAPABILITY_IAM \
      --parameter-overrides "${overrides[@]}" --no-confirm-changeset --no-fail-on-empty-changeset
  done
fi

endpoints=()
for i in "${!aws_regions[@]}"; do
  region=${aws_regions[$i]}
  lookup=(aws cloudformation describe-stacks --region "$region" --stack-name "$stack"
    --query "Stacks[0].Outputs[?OutputKey=='SkillFunctionArn'].OutputValue" --output text)
  if $dry_run; then
    run "${lookup[@]}"
    arn="arn:aws:lambda:$region:ACCOUNT:function:SkillFunctionArn-of-$stack" # what the lookup answers
  else
    arn=$("${lookup[@]}")
    if [ -z "$arn" ] || [ "$arn" = "None" ]; then
      echo "deploy: stack $stack in $region has no SkillFunctionArn output: has sam deploy finished there?" >&2
      exit 1
    fi
  fi
  flag=$(printf '%s' "${alexa_regions[$i]}" | tr 'A-Z' 'a-z')
  endpoints+=("-$flag" "$arn")
done
run go run ./infra/setendpoint "${endpoints[@]}" "${params[@]}" -out build

# A field of the JSON on stdin, by a path such as uploadUrl or headers.location (the ASK CLI
# prints headers as an object or as [{key, value}], depending on its version).
json_field() {
  node -e '
    let s = "";
    process.stdin.on("data", (d) => (s += d)).on("end", () => {
      let v = JSON.parse(s);
      for (const k of process.argv[1].split(".")) {
        v = Array.isArray(v) ? (v.find((h) => String(h.key).toLowerCase() === k) || {}).value : v?.[k];
      }
      if (v === undefined || v === null) process.exit(1);
      console.log(v);
    });' "$1"
}

if $dry_run; then
  run ask smapi create-upload-url
  upload_url=UPLOAD_URL # what create-upload-url answers
  run curl -fsS --upload-file build/skill-package.zip "$upload_url"
  run ask smapi import-skill-package --skill-id "$skill_id" --location "$upload_url" --full-response
  run ask smapi get-import-status --import-id IMPORT_ID # from the import's location header
  for url in "$privacy_url" "$terms_url"; do
    run curl -fsSL -o /dev/null "$url"
  done
  exit 0
fi

upload_url=$(ask smapi create-upload-url | json_field uploadUrl)
curl -fsS --upload-file build/skill-package.zip "$upload_url"
location=$(ask smapi import-skill-package --skill-id "$skill_id" --location "$upload_url" --full-response | json_field headers.location)
import_id=${location##*/}
echo "deploy: importing the skill package (import $import_id) ..." >&2
status=IN_PROGRESS
for _ in $(seq 120); do
  answer=$(ask smapi get-import-status --import-id "$import_id")
  status=$(printf '%s' "$answer" | json_field status)
  [ "$status" = IN_PROGRESS ] || break
  sleep 5
done
if [ "$status" != SUCCEEDED ]; then
  echo "deploy: the skill package import ended $status:" >&2
  printf '%s\n' "$answer" >&2
  exit 1
fi

for url in "$privacy_url" "$terms_url"; do
  curl -fsSL -o /dev/null "$url" ||
    echo "deploy: $url does not answer yet: publish build/docs/ there before you submit for certification" >&2
done
echo "deploy: done. The interaction models build in a minute or two: ask smapi get-skill-status --skill-id $skill_id" >&2
