"""The jq programs scripts/deploy/02 and 03 run on the AWS CLI's answers, run on answers of
the shape the ECS API documents (DescribeTaskDefinition, DescribeServices, DescribeTasks).
No AWS here: these are the pure parts of the scripts, tested as they run (real jq).
"""

import json
import subprocess
from pathlib import Path

JQ = Path(__file__).resolve().parents[2] / "scripts" / "deploy" / "jq"
OLD = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/peerprep-staging/user:aaaa"
NEW = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/peerprep-staging/user:bbbb"
FAMILY_ARN = "arn:aws:ecs:eu-west-1:123456789012:task-definition/peerprep-staging-user"
# What RegisterTaskDefinition accepts (the subset a Fargate task uses).
REGISTER_PARAMETERS = {
    "family", "taskRoleArn", "executionRoleArn", "networkMode", "containerDefinitions", "volumes",
    "placementConstraints", "requiresCompatibilities", "cpu", "memory", "runtimePlatform",
    "ephemeralStorage", "pidMode", "ipcMode", "proxyConfiguration", "tags",
}


def jq(program, document, **arguments):
    command = ["jq", "-r" if program != "new-revision" else "-c"]
    for name, value in arguments.items():
        command += ["--arg", name, value]
    command += ["-f", str(JQ / f"{program}.jq")]
    result = subprocess.run(command, input=json.dumps(document), capture_output=True, text=True, check=True)
    return result.stdout.strip()


def described_task_definition(tags):
    secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:peerprep-staging/user-AbCdEf"
    return {
        "taskDefinition": {
            "taskDefinitionArn": f"{FAMILY_ARN}:7",
            "family": "peerprep-staging-user",
            "revision": 7,
            "status": "ACTIVE",
            "taskRoleArn": "arn:aws:iam::123456789012:role/peerprep-staging-user-task",
            "executionRoleArn": "arn:aws:iam::123456789012:role/peerprep-staging-user-execution",
            "networkMode": "awsvpc",
            "containerDefinitions": [
                {"name": "rds-ca", "image": "public.ecr.aws/docker/library/busybox:1.37", "essential": False,
                 "secrets": [{"name": "DATA_STORES_CA_PEM", "valueFrom": f"{secret}:DATA_STORES_CA_PEM::"}]},
                {"name": "user", "image": OLD, "essential": True,
                 "environment": [{"name": "PORT", "value": "8000"}],
                 "secrets": [{"name": "DATABASE_URL", "valueFrom": f"{secret}:DATABASE_URL::"}],
                 "dependsOn": [{"containerName": "rds-ca", "condition": "SUCCESS"}]},
            ],
            "volumes": [{"name": "ca", "host": {}}],
            "placementConstraints": [],
            "requiresAttributes": [{"name": "ecs.capability.secrets.asm.environment-variables"}],
            "compatibilities": ["EC2", "FARGATE"],
            "requiresCompatibilities": ["FARGATE"],
            "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
            "cpu": "256",
            "memory": "512",
            "registeredAt": "2026-11-27T01:00:00+00:00",
            "registeredBy": "arn:aws:sts::123456789012:assumed-role/peerprep-staging-deploy/GitHubActions",
        },
        "tags": tags,
    }


def test_a_new_revision_changes_the_services_image_and_nothing_else():
    described = described_task_definition(tags=[{"key": "Project", "value": "peerprep"}])
    spec = json.loads(jq("new-revision", described, name="user", image=NEW))
    assert set(spec) <= REGISTER_PARAMETERS
    assert "placementConstraints" not in spec  # empty: dropped
    assert spec["tags"] == [{"key": "Project", "value": "peerprep"}]
    ca_writer, service = spec["containerDefinitions"]
    assert service["image"] == NEW
    assert ca_writer["image"] == described["taskDefinition"]["containerDefinitions"][0]["image"]
    # Everything else of the containers, secrets by valueFrom included, is as it was.
    before = described["taskDefinition"]["containerDefinitions"]
    assert {**service, "image": OLD} == before[1] and ca_writer == before[0]
    for kept in ["family", "taskRoleArn", "executionRoleArn", "networkMode", "volumes", "cpu", "memory",
                 "requiresCompatibilities", "runtimePlatform"]:
        assert spec[kept] == described["taskDefinition"][kept]


def test_a_new_revision_of_an_untagged_definition_has_no_tags():
    spec = json.loads(jq("new-revision", described_task_definition(tags=[]), name="user", image=NEW))
    assert "tags" not in spec


def deployments(*entries):
    return {"services": [{"serviceName": "user", "deployments": [
        {"status": status, "taskDefinition": f"{FAMILY_ARN}:{revision}", **({"rolloutState": state} if state else {})}
        for status, revision, state in entries
    ]}]}


def test_the_primary_deployment_says_what_the_service_converged_on():
    assert jq("primary-deployment", deployments(("PRIMARY", 8, "COMPLETED"))) == f"{FAMILY_ARN}:8 COMPLETED"
    # Rolled back by the circuit breaker: the previous revision is primary again, and 03
    # sees that it is not the one it asked for.
    rolled_back = deployments(("PRIMARY", 7, "COMPLETED"), ("ACTIVE", 8, "FAILED"))
    assert jq("primary-deployment", rolled_back) == f"{FAMILY_ARN}:7 COMPLETED"
    # A service without the circuit breaker reports no rollout state.
    assert jq("primary-deployment", deployments(("PRIMARY", 8, None))) == f"{FAMILY_ARN}:8 COMPLETED"


def tasks(containers, reason=None):
    task = {"taskArn": "arn:aws:ecs:eu-west-1:123456789012:task/peerprep-staging/abc", "containers": containers}
    if reason:
        task["stoppedReason"] = reason
    return {"tasks": [task], "failures": []}


def test_a_migration_tasks_exit_code_is_read_from_the_services_container():
    ok = tasks([{"name": "rds-ca", "exitCode": 0}, {"name": "user", "exitCode": 0}], "Essential container in task exited")
    assert jq("task-exit", ok, name="user") == "0 Essential container in task exited"
    failed = tasks([{"name": "rds-ca", "exitCode": 0}, {"name": "user", "exitCode": 1}], "Essential container in task exited")
    assert jq("task-exit", failed, name="user").startswith("1 ")
    never_ran = tasks([{"name": "rds-ca"}, {"name": "user"}], "CannotPullContainerError: pull access denied")
    assert jq("task-exit", never_ran, name="user") == "none CannotPullContainerError: pull access denied"
