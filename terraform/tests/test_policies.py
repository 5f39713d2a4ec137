"""Policy tests over terraform/, parsed with python-hcl2 (no terraform binary is needed).

Each test names a requirement of the deployment (issue 13, terraform/README.md) and fails when
the configuration stops meeting it. They read what the code says (the values, the blocks, the
expressions), not the names of things. Run: scripts/deploy/check-terraform.sh
"""

import re

import pytest

from hcl import FILES, TERRAFORM, block, blocks, local, module_call, one, parse
SECRET_NAME = re.compile(r"DATABASE_URL|REDIS_URL|TOKEN|PASSWORD|KEY|SECRET|DSN|_PEM$")
REALTIME = {"matching", "collaboration", "chat"}
PREFIXES = {
    "user": "/user-service-api",
    "question": "/question-service-api",
    "history": "/history-service-api",
    "matching": "/matching-service-api",
    "collaboration": "/collaboration-service-api",
    "chat": "/chat-service-api",
}


def settings(tf, env):
    """environments/<env>/settings.tf: local.environment, local.github_environment, local.size."""
    values = {}
    for entry in tf[f"environments/{env}/settings.tf"]["locals"]:
        values.update(entry)
    return values


# --- every file parses ------------------------------------------------------------------

def test_there_is_terraform_for_both_environments_and_the_bootstrap():
    names = {path.relative_to(TERRAFORM).as_posix() for path in FILES}
    for required in ["bootstrap/main.tf", "environments/staging/settings.tf", "environments/prod/settings.tf",
                     "environments/staging/backend.tf", "environments/prod/backend.tf"]:
        assert required in names
    # The environments differ only in settings.tf (sizes) and backend.tf (state key): the
    # rest is environments/common/, linked.
    for env in ["staging", "prod"]:
        for shared in ["main.tf", "provider.tf", "variables.tf", "outputs.tf", "versions.tf"]:
            link = TERRAFORM / "environments" / env / shared
            assert link.is_symlink() and link.resolve() == (TERRAFORM / "environments/common" / shared).resolve()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(TERRAFORM).as_posix())
def test_every_file_parses(path):
    parse(path)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(TERRAFORM).as_posix())
def test_every_checkov_skip_gives_its_reason(path):
    for line in path.read_text().splitlines():
        match = re.search(r"checkov:skip=([A-Z0-9_]+)(:?)(.*)", line)
        if match:
            assert match.group(2) == ":" and len(match.group(3).strip()) > 15, line


# --- ECS --------------------------------------------------------------------------------

def test_every_ecs_service_rolls_back_and_rolls_out_at_50_to_200_percent(tf):
    for path, name, service in blocks(tf, "resource", "aws_ecs_service"):
        breaker = block(service, "deployment_circuit_breaker")
        assert breaker["enable"] is True and breaker["rollback"] is True, (path, name)
        assert service["deployment_minimum_healthy_percent"] == 50
        assert service["deployment_maximum_percent"] == 200
        assert service["launch_type"] == "FARGATE"
        assert block(service, "network_configuration")["assign_public_ip"] is False
        assert block(service, "load_balancer") and block(service, "service_registries")


def test_a_deployed_task_definition_is_not_reverted_by_apply(tf):
    for _, _, service in blocks(tf, "resource", "aws_ecs_service"):
        ignored = block(service, "lifecycle")["ignore_changes"]
        assert "task_definition" in ignored and "desired_count" in ignored


def test_prod_runs_at_least_two_tasks_per_service_and_staging_at_least_one(tf):
    prod = settings(tf, "prod")["size"]
    staging = settings(tf, "staging")["size"]
    assert prod["min_tasks"] >= 2 and prod["max_tasks"] > prod["min_tasks"]
    assert staging["min_tasks"] >= 1
    assert module_call(tf, "environments/common/main.tf", "peerprep")["min_tasks"] == "${local.size.min_tasks}"
    service = module_call(tf, "modules/peerprep/services.tf", "service")
    assert service["min_count"] == "${var.min_tasks}"
    target = one(tf, "resource", "aws_appautoscaling_target", "modules/ecs_service")
    assert target["min_capacity"] == "${var.min_count}"


def test_the_cluster_has_container_insights(tf):
    cluster = one(tf, "resource", "aws_ecs_cluster")
    assert {"name": "containerInsights", "value": "enabled"} in cluster["setting"]


def test_containers_get_secrets_by_value_from_and_never_in_environment(tf):
    path = "modules/ecs_service/main.tf"
    main = local(tf, path, "main_container")
    assert main["secrets"] == "${local.secrets}"
    assert main["environment"] == "${local.environment}"
    secrets = local(tf, path, "secrets")
    assert "valueFrom" in secrets and "aws_secretsmanager_secret.this.arn" in secrets
    assert local(tf, path, "environment").startswith("${[for key in sort(keys(var.environment))")
    definition = one(tf, "resource", "aws_ecs_task_definition", "modules/ecs_service")
    assert definition["container_definitions"] == "${jsonencode(local.containers)}"
    # What the services put in `environment`: no name of a secret.
    services_tf = (TERRAFORM / "modules/peerprep/services.tf").read_text()
    rust_environment = local(tf, "modules/peerprep/services.tf", "rust_environment")
    named = set(rust_environment) | set(re.findall(r"\b([A-Z][A-Z0-9_]+)\s*=", services_tf))
    for name in named:
        assert not SECRET_NAME.search(name) or name.endswith("_SERVERS"), name
    # ... and every secret the services need is in their secret.
    secrets_local = str(local(tf, "modules/peerprep/data_stores.tf", "secrets")) + str(
        local(tf, "modules/peerprep/data_stores.tf", "common_secrets"))
    for name in ["DATABASE_URL", "REDIS_URL", "INTERNAL_SERVICE_TOKEN", "JWT_PRIVATE_KEY",
                 "JWT_PUBLIC_KEY", "ADMIN_PASSWORD", "DATA_STORES_CA_PEM"]:
        assert name in secrets_local, name


def test_each_service_has_its_own_secret_and_its_roles_read_only_that(tf):
    secret = one(tf, "resource", "aws_secretsmanager_secret", "modules/ecs_service")
    assert secret["name"] == "${var.prefix}/${var.name}"
    policies = blocks(tf, "data", "aws_iam_policy_document", "modules/ecs_service")
    for _, name, policy in policies:
        for statement in policy.get("statement", []):
            if any(action.startswith("secretsmanager:") for action in statement["actions"]):
                assert statement["resources"] == ["${aws_secretsmanager_secret.this.arn}"], name
            if statement.get("resources") == ["*"]:
                assert statement["actions"] == ["ecr:GetAuthorizationToken"], name
    # The task role (the code's) has no policy at all.
    attached = [body["role"] for _, _, body in blocks(tf, "resource", "aws_iam_role_policy", "modules/ecs_service")]
    assert attached == ["${aws_iam_role.execution.id}"]


def test_logs_go_to_ecs_peerprep_env_service(tf):
    path = "modules/ecs_service/main.tf"
    assert local(tf, path, "log_group") == "/ecs/${var.prefix}/${var.name}"
    assert local(tf, path, "log_configuration")["logDriver"] == "awslogs"
    assert local(tf, "modules/peerprep/main.tf", "prefix") == "peerprep-${var.environment}"
    assert module_call(tf, "modules/peerprep/services.tf", "service")["prefix"] == "${local.prefix}"


def test_the_stop_timeout_leaves_time_to_drain_websockets(tf):
    main = local(tf, "modules/ecs_service/main.tf", "main_container")
    assert main["stopTimeout"] >= 60  # the services drain within 30 s of SIGTERM


def test_autoscaling_on_cpu_memory_and_requests_per_target(tf):
    scaling = local(tf, "modules/ecs_service/main.tf", "scaling")
    metrics = {entry["metric"]: entry for entry in scaling.values()}
    assert set(metrics) == {"ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization",
                            "ALBRequestCountPerTarget"}
    assert "target_group_arn_suffix" in metrics["ALBRequestCountPerTarget"]["label"]
    policy = one(tf, "resource", "aws_appautoscaling_policy", "modules/ecs_service")
    assert policy["for_each"] == "${local.scaling}"
    configuration = block(policy, "target_tracking_scaling_policy_configuration")
    specification = block(configuration, "predefined_metric_specification")
    assert specification["predefined_metric_type"] == "${each.value.metric}"
    assert specification["resource_label"] == "${each.value.label}"


def test_cloud_map_names_the_services_under_peerprep_env_local(tf):
    namespace = one(tf, "resource", "aws_service_discovery_private_dns_namespace")
    assert namespace["name"] == "${local.namespace}"
    assert local(tf, "modules/peerprep/main.tf", "namespace") == "${local.prefix}.local"
    discovery = one(tf, "resource", "aws_service_discovery_service", "modules/ecs_service")
    assert discovery["name"] == "${var.name}"


# --- ALB --------------------------------------------------------------------------------

def test_http_redirects_to_https_with_a_certificate(tf):
    listeners = {name: body for _, name, body in blocks(tf, "resource", "aws_lb_listener")}
    http = block(listeners["http"], "default_action")
    assert http["type"] == "redirect"
    assert block(http, "redirect")["protocol"] == "HTTPS"
    https = listeners["https"]
    assert https["protocol"] == "HTTPS" and https["certificate_arn"]
    assert https["ssl_policy"].startswith("ELBSecurityPolicy-TLS13")


def test_the_alb_keeps_websockets_open_and_drops_bad_headers(tf):
    alb = one(tf, "resource", "aws_lb")
    assert alb["idle_timeout"] >= 300
    assert alb["drop_invalid_header_fields"] is True
    assert alb["internal"] is False


def test_target_groups_check_health_and_realtime_ones_are_sticky(tf):
    group = one(tf, "resource", "aws_lb_target_group")
    check = block(group, "health_check")
    assert check["path"] == "/health" and check["matcher"] == "200"
    stickiness = block(group, "stickiness")
    assert stickiness["type"] == "lb_cookie" and stickiness["enabled"] == "${each.value.sticky}"
    services = local(tf, "modules/peerprep/services.tf", "services")
    for name, service in services.items():
        assert service["realtime"] is (name in REALTIME), name
    targets = module_call(tf, "modules/peerprep/main.tf", "alb")["targets"]
    assert "sticky = service.realtime" in targets, targets


def test_each_prefix_and_its_bare_form_are_routed_and_the_rest_goes_to_the_frontend(tf):
    services = local(tf, "modules/peerprep/services.tf", "services")
    for name, prefix in PREFIXES.items():
        assert services[name]["prefix"] == prefix
    assert services["frontend"]["prefix"] is None
    rule = {name: body for _, name, body in blocks(tf, "resource", "aws_lb_listener_rule")}["service"]
    values = block(block(rule, "condition"), "path_pattern")["values"]
    assert values == ["${each.value.prefix}", "${each.value.prefix}/*"]
    https = [body for _, name, body in blocks(tf, "resource", "aws_lb_listener") if name == "https"][0]
    assert "var.default_target" in block(https, "default_action")["target_group_arn"]


def test_internal_routes_are_never_forwarded(tf):
    paths = local(tf, "modules/alb/main.tf", "internal_paths")
    listed = [path for values in paths.values() for path in values]
    for required in ["/internal/*", "/metrics", "/*-service-api/internal/*", "/*-service-api/metrics"]:
        assert required in listed
    assert all(len(values) <= 5 for values in paths.values())  # the ALB's limit per rule
    rules = {name: body for _, name, body in blocks(tf, "resource", "aws_lb_listener_rule")}
    internal = rules["internal"]
    assert block(internal, "action")["type"] == "fixed-response"
    assert block(block(internal, "action"), "fixed_response")["status_code"] == "404"
    # They win over every forward rule: lower numbers first.
    internal_priorities = [1, 2]
    assert internal["priority"] == '${each.key == "root" ? 1 : 2}'
    services = local(tf, "modules/peerprep/services.tf", "services")
    forward = [service["priority"] for service in services.values() if service["priority"] is not None]
    assert min(forward) > max(internal_priorities)
    assert len(set(forward)) == len(forward)
    for service in services.values():
        assert service["prefix"] is None or not re.search("internal|metrics", service["prefix"])


# --- data stores ------------------------------------------------------------------------

def test_rds_is_private_encrypted_backed_up_and_tls_only(tf):
    database = one(tf, "resource", "aws_db_instance")
    assert database["publicly_accessible"] is False
    assert database["storage_encrypted"] is True
    assert database["backup_retention_period"] == "${var.backup_retention_days}"
    assert database["skip_final_snapshot"] is False
    assert database["multi_az"] == "${var.multi_az}"
    variables = {name: body for entry in tf["modules/rds/variables.tf"]["variable"] for name, body in entry.items()}
    assert "var.backup_retention_days >= 7" in block(variables["backup_retention_days"], "validation")["condition"]
    parameters = one(tf, "resource", "aws_db_parameter_group")["parameter"]
    assert {"name": "rds.force_ssl", "value": "1"} in parameters
    url = [entry["database_url"] for entry in tf["modules/rds/outputs.tf"]["output"] if "database_url" in entry][0]
    assert "sslmode=verify-full" in url["value"]


def test_prod_databases_are_multi_az_and_protected(tf):
    prod = settings(tf, "prod")["size"]
    assert prod["db_multi_az"] is True and prod["deletion_protection"] is True
    assert prod["redis_nodes"] >= 2 and prod["single_nat_gateway"] is False
    assert module_call(tf, "modules/peerprep/data_stores.tf", "database")["multi_az"] == "${var.db_multi_az}"


def test_redis_is_encrypted_in_transit_and_at_rest_with_an_auth_token(tf):
    redis = one(tf, "resource", "aws_elasticache_replication_group")
    assert redis["transit_encryption_enabled"] is True
    assert redis["at_rest_encryption_enabled"] is True
    assert redis["auth_token"] == "${random_password.auth_token.result}"
    assert redis["automatic_failover_enabled"] == "${var.nodes > 1}"


def test_ecr_scans_on_push_and_tags_are_immutable(tf):
    repository = one(tf, "resource", "aws_ecr_repository")
    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert block(repository, "image_scanning_configuration")["scan_on_push"] is True


# --- the network and who may talk to whom ----------------------------------------------

def test_only_the_alb_is_open_to_the_internet(tf):
    for path, name, rule in blocks(tf, "resource", "aws_vpc_security_group_ingress_rule"):
        cidr = rule.get("cidr_ipv4", "")
        if cidr == "0.0.0.0/0":
            assert path == "modules/alb/main.tf" and rule["from_port"] in (80, 443), (path, name)
        elif path != "modules/network/main.tf":  # the endpoints: HTTPS from the VPC
            assert "referenced_security_group_id" in rule and not cidr, (path, name)
    for _, _, group in blocks(tf, "resource", "aws_security_group"):
        assert "ingress" not in group, "inline rules would hide from these tests"


def test_data_stores_take_connections_from_their_services_only(tf):
    rds = one(tf, "resource", "aws_vpc_security_group_ingress_rule", "modules/rds")
    assert rds["referenced_security_group_id"] == "${var.client_security_group_id}"
    assert module_call(tf, "modules/peerprep/data_stores.tf", "database")["client_security_group_id"] == \
        "${aws_security_group.task[each.key].id}"
    redis = one(tf, "resource", "aws_vpc_security_group_ingress_rule", "modules/redis")
    assert redis["referenced_security_group_id"] == "${each.value}"


def test_tasks_and_data_run_in_private_subnets_over_two_zones(tf):
    variables = {name: body for entry in tf["modules/network/variables.tf"]["variable"] for name, body in entry.items()}
    assert "var.az_count >= 2" in block(variables["az_count"], "validation")["condition"]
    assert module_call(tf, "modules/peerprep/services.tf", "service")["subnet_ids"] == "${module.network.app_subnet_ids}"
    for _, name, subnet in blocks(tf, "resource", "aws_subnet"):
        assert subnet.get("map_public_ip_on_launch", False) is False, name
    endpoints = local(tf, "modules/network/main.tf", "interface_endpoints")
    assert set(endpoints) >= {"ecr.api", "ecr.dkr", "logs", "secretsmanager"}


# --- the pipeline's role and the state ---------------------------------------------------

def test_the_deploy_role_trusts_one_repository_environment_over_oidc(tf):
    trust = [body for _, name, body in blocks(tf, "data", "aws_iam_policy_document") if name == "deploy_trust"][0]
    (statement,) = trust["statement"]
    assert statement["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    conditions = {condition["variable"]: condition for condition in statement["condition"]}
    assert conditions["token.actions.githubusercontent.com:aud"]["values"] == ["sts.amazonaws.com"]
    subject = conditions["token.actions.githubusercontent.com:sub"]
    assert subject["test"] == "StringEquals"
    assert subject["values"] == ["repo:${var.github_repository}:environment:${var.github_environment}"]
    deploy = [body for _, name, body in blocks(tf, "data", "aws_iam_policy_document") if name == "deploy"][0]
    for statement in deploy["statement"]:
        if statement["actions"] == ["iam:PassRole"]:
            assert statement["condition"][0]["values"] == ["ecs-tasks.amazonaws.com"]
        if statement.get("resources") == ["*"]:
            assert set(statement["actions"]) <= {"ecr:GetAuthorizationToken", "ecs:DescribeTaskDefinition",
                                                 "ecs:RegisterTaskDefinition"}
    environments = {env: settings(tf, env)["github_environment"] for env in ["staging", "prod"]}
    assert module_call(tf, "environments/common/main.tf", "peerprep")["github_environment"] == \
        "${local.github_environment}"
    assert environments == {"staging": "staging", "prod": "production"}


def test_remote_state_is_versioned_encrypted_private_and_locked(tf):
    versioning = one(tf, "resource", "aws_s3_bucket_versioning", "bootstrap")
    assert block(versioning, "versioning_configuration")["status"] == "Enabled"
    one(tf, "resource", "aws_s3_bucket_server_side_encryption_configuration", "bootstrap")
    public = one(tf, "resource", "aws_s3_bucket_public_access_block", "bootstrap")
    assert all(public[key] is True for key in ["block_public_acls", "block_public_policy",
                                               "ignore_public_acls", "restrict_public_buckets"])
    lock = one(tf, "resource", "aws_dynamodb_table", "bootstrap")
    assert lock["hash_key"] == "LockID"
    for env in ["staging", "prod"]:
        backend = tf[f"environments/{env}/backend.tf"]["terraform"][0]["backend"][0]["s3"]
        assert backend["key"] == f"peerprep/{env}/terraform.tfstate" and backend["encrypt"] is True


def test_nothing_account_specific_is_hard_coded():
    for path in FILES:
        text = path.read_text()
        assert not re.search(r"\b\d{12}\b", text.replace("123456789012", "")), path
        assert not re.search(r"arn:aws:[a-z0-9-]+:[a-z]{2}-[a-z]+-\d", text), path
