#!/usr/bin/env bash
# Checks the GitHub Actions workflows without running them (no runner here):
#   - GitHub's workflow schema, as check-jsonschema ships it (no download);
#   - yamllint --strict with the repository's rules;
#   - .github/tests/test_workflows.py: make test before any deploy, OIDC and no keys, the
#     deploy job's steps in the order build → test → scan → push → migrate → deploy →
#     verify, each running its script, and every scripts/deploy/0*.sh with --help;
#     test_deploy_jq.py: the jq programs 02 and 03 run on the AWS CLI's answers (jq is
#     installed from Debian's packages when missing);
#   - checkov's GitHub Actions policies (skips, if any, carry their reason inline).
# Exits non-zero when any of them fails.
set -euo pipefail

case "${1:-}" in
  -h | --help)
    echo "Usage: scripts/deploy/check-workflows.sh   (no arguments; see the header for what it checks)"
    exit 0
    ;;
  "") ;;
  *) echo "unknown argument: $1" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/../.."

log() { printf '[check-workflows] %s\n' "$*" >&2; }

if ! command -v jq >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    log "installing jq (Debian's package)"
    (DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq) >/dev/null
  else
    echo "[check-workflows] error: jq is missing: apt-get install jq" >&2
    exit 1
  fi
fi

deploy_tools=$(bash scripts/deploy/tools.sh)
container_tools=$(bash scripts/containers/tools.sh)

log "GitHub's workflow schema"
"$deploy_tools/check-jsonschema" --builtin-schema vendor.github-workflows .github/workflows/*.yml
log "yamllint"
"$container_tools/yamllint" --strict -c .yamllint.yaml .github/workflows
log "the pipeline's promises (.github/tests)"
"$deploy_tools/python" -m pytest -q -p no:cacheprovider .github/tests
log "checkov (GitHub Actions)"
"$container_tools/checkov" -d .github --framework github_actions --skip-download --quiet --compact
