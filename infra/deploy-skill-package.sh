#!/usr/bin/env bash
# Uploads skill-package/ (the manifest, then the en-US interaction model) to the skill's
# development stage with the ASK CLI v2. Usage: infra/deploy-skill-package.sh SKILL_ID
# Run infra/set-endpoint.sh first, so the manifest names the deployed function.
set -euo pipefail
cd "$(dirname "$0")/.."
skill_id=${1:?usage: infra/deploy-skill-package.sh amzn1.ask.skill.…}
command -v ask >/dev/null 2>&1 || { echo "the ASK CLI is not installed: npm install -g ask-cli, then ask configure" >&2; exit 1; }
if grep -q REPLACE_WITH_SkillFunctionArn skill-package/skill.json; then
  echo "skill-package/skill.json still has the placeholder endpoint: run infra/set-endpoint.sh first" >&2
  exit 1
fi
ask smapi update-skill-manifest --skill-id "$skill_id" --stage development --manifest "file:skill-package/skill.json"
ask smapi set-interaction-model --skill-id "$skill_id" --stage development --locale en-US \
  --interaction-model "file:skill-package/interactionModels/custom/en-US.json"
echo "uploaded; the model builds in a minute or two: ask smapi get-skill-status --skill-id $skill_id"
