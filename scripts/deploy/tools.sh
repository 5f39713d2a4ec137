#!/usr/bin/env bash
# The deployment checks' tools, from PyPI into .local/venv-deploy (scripts/python-tools.sh);
# prints the venv's bin directory:
#   python-hcl2 (parses terraform/ for the policy tests), pytest (runs them and
#   .github/tests), PyYAML (reads the workflows there), check-jsonschema (GitHub's workflow
#   schema ships inside it; no download).
# A venv of its own: checkov, in .local/venv-containers, brings a fork of python-hcl2 that
# installs the same `hcl2` module.
# Usage: PATH="$(bash scripts/deploy/tools.sh):$PATH"
set -euo pipefail
exec bash "$(dirname "$0")/../python-tools.sh" venv-deploy \
  python-hcl2==8.1.4 pytest==9.2.0 check-jsonschema==0.39.0 PyYAML==6.0.3
