"""The pipeline's promises, read from the workflow files (run by scripts/deploy/check-workflows.sh).

GitHub's schema (check-jsonschema) says the files are valid workflows; these tests say they are
the pipeline terraform/README.md describes: make test on every push and pull request and
before any deploy, OIDC and no keys, the deploy job's steps in the order build → test → scan →
push → migrate → deploy → verify, each one a script in scripts/deploy/ an operator can run.
"""

import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
DEPLOY_SCRIPTS = sorted((ROOT / "scripts" / "deploy").glob("0*.sh"))
ORDER = ["build", "test", "scan", "push", "migrate", "deploy", "verify"]
# What each step must run: the script, and for 01 the stage.
RUNS = {
    "build": r"01-build-and-push-images\.sh .*\bbuild$",
    "test": r"scripts/containers/check-images\.sh",
    "scan": r"01-build-and-push-images\.sh .*\bscan$",
    "push": r"01-build-and-push-images\.sh .*\bpush$",
    "migrate": r"02-run-migrations\.sh",
    "deploy": r"03-deploy-services\.sh .*--record",
    "verify": r"04-verify-deployment\.sh --url",
}


def load(name):
    # PyYAML reads the key `on` as True (YAML 1.1); map it back.
    document = yaml.safe_load((WORKFLOWS / name).read_text())
    if True in document:
        document["on"] = document.pop(True)
    return document


def run_text(step):
    return " ".join(step.get("run", "").split())


@pytest.fixture(scope="module")
def ci():
    return load("ci.yml")


@pytest.fixture(scope="module")
def deploy():
    return load("deploy.yml")


def test_ci_runs_make_test_on_every_push_and_pull_request(ci):
    assert "push" in ci["on"] and "pull_request" in ci["on"]
    assert "workflow_call" in ci["on"], "deploy.yml reuses it"
    (job,) = ci["jobs"].values()
    assert any(run_text(step) == "make test" for step in job["steps"])
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_deploy_waits_for_make_test(deploy):
    assert deploy["jobs"]["test"]["uses"] == "./.github/workflows/ci.yml"
    assert deploy["jobs"]["deploy"]["needs"] == "test"


def test_deploy_steps_run_in_the_seed_order(deploy):
    steps = deploy["jobs"]["deploy"]["steps"]
    ids = [step["id"] for step in steps if step.get("id") in ORDER]
    assert ids == ORDER
    for step in steps:
        if step.get("id") in RUNS:
            assert re.search(RUNS[step["id"]], run_text(step), re.M), step["id"]
    # Nothing that changes AWS runs before the images are scanned.
    positions = {step.get("id"): index for index, step in enumerate(steps)}
    for index, step in enumerate(steps):
        text = run_text(step)
        if re.search(r"0[23]-|--restore", text):
            assert index > positions["scan"], step.get("name")


def test_a_failed_deploy_or_verification_puts_the_previous_version_back(deploy):
    steps = deploy["jobs"]["deploy"]["steps"]
    (restore,) = [step for step in steps if "--restore" in run_text(step)]
    assert steps.index(restore) > [step.get("id") for step in steps].index("verify")
    assert "failure()" in restore["if"] and "steps.deploy.outcome" in restore["if"]


def test_branches_choose_the_environment_and_production_has_the_gate(deploy):
    push = deploy["on"]["push"]
    assert push["branches"] == ["main", "production"]
    assert any(re.fullmatch(r"v\[0-9\]\+.*", tag) for tag in push["tags"])
    job = deploy["jobs"]["deploy"]
    expression = "github.ref == 'refs/heads/main' && 'staging' || 'production'"
    assert expression in job["environment"]["name"]
    assert expression in job["concurrency"]["group"]
    assert job["concurrency"]["cancel-in-progress"] is False


def test_aws_is_reached_with_oidc_and_no_keys(deploy):
    assert deploy["permissions"] == {"contents": "read"}
    assert deploy["jobs"]["deploy"]["permissions"]["id-token"] == "write"
    steps = deploy["jobs"]["deploy"]["steps"]
    (credentials,) = [s for s in steps if "configure-aws-credentials" in s.get("uses", "")]
    assert set(credentials["with"]) == {"role-to-assume", "aws-region"}
    for path in WORKFLOWS.glob("*.yml"):
        text = path.read_text()
        assert not re.search(r"aws-(access-key-id|secret-access-key)|AWS_SECRET|secrets\.AWS", text), path


def test_releases_push_a_semver_tag_too(deploy):
    steps = deploy["jobs"]["deploy"]["steps"]
    (push,) = [step for step in steps if step.get("id") == "push"]
    assert '--extra-tag "$GITHUB_REF_NAME"' in push["run"]
    assert "GITHUB_REF_TYPE" in push["run"]


def test_no_expression_is_pasted_into_a_shell(ci, deploy):
    # ${{ }} in run: is a script injection when it carries user-controlled text; values
    # reach the shell through env: instead.
    for workflow in (ci, deploy):
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                assert "${{" not in step.get("run", ""), step.get("name")


def test_the_scan_fails_on_high_or_critical():
    script = (ROOT / "scripts" / "deploy" / "01-build-and-push-images.sh").read_text()
    assert "--severity HIGH,CRITICAL" in script and "--exit-code 1" in script


@pytest.mark.parametrize("script", DEPLOY_SCRIPTS, ids=lambda path: path.name)
def test_every_deploy_script_has_help_and_strict_mode(script):
    text = script.read_text()
    assert "set -euo pipefail" in text
    result = subprocess.run(["bash", str(script), "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: scripts/deploy/" + script.name)


def test_four_numbered_scripts_exist():
    assert [path.name[:3] for path in DEPLOY_SCRIPTS] == ["01-", "02-", "03-", "04-"]


@pytest.mark.parametrize("script", DEPLOY_SCRIPTS, ids=lambda path: path.name)
def test_nothing_account_specific_is_hard_coded(script):
    for number, line in enumerate(script.read_text().splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        # The ECR host pattern, and AWS's documentation account in examples, are not accounts.
        code = re.sub(r"\[0-9\]\{12\}|123456789012", "", line)
        assert not re.search(r"\b\d{12}\b|arn:aws:[a-z-]+:[a-z0-9-]*:\d", code), f"{script.name}:{number}"
