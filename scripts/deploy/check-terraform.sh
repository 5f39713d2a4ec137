#!/usr/bin/env bash
# Checks terraform/ without a terraform binary (none installs from these registries) and
# without AWS:
#   - terraform/tests (pytest): every .tf file parses (python-hcl2); the deployment's
#     requirements hold in the parsed configuration (test_policies.py: circuit breaker with
#     rollback, secrets only by valueFrom, sticky real-time target groups, internal paths
#     never forwarded, private encrypted databases, two tasks per service in prod, ...);
#     every variable, local, module argument and output a file names is declared
#     (test_references.py: what `terraform validate` would catch first);
#   - checkov's Terraform policies; every skipped check carries its reason inline
#     (#checkov:skip=ID:reason in the resource), and the tests check that it does.
# Exits non-zero when a file does not parse, a policy test fails or checkov finds something.
set -euo pipefail

case "${1:-}" in
  -h | --help)
    echo "Usage: scripts/deploy/check-terraform.sh   (no arguments; see the header for what it checks)"
    exit 0
    ;;
  "") ;;
  *) echo "unknown argument: $1" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/../.."

log() { printf '[check-terraform] %s\n' "$*" >&2; }

deploy_tools=$(bash scripts/deploy/tools.sh)
container_tools=$(bash scripts/containers/tools.sh)

log "parse every .tf file and run the policy tests (terraform/tests)"
"$deploy_tools/python" -m pytest -q -p no:cacheprovider terraform/tests
log "checkov (Terraform)"
"$container_tools/checkov" -d terraform --framework terraform --skip-download --quiet --compact
