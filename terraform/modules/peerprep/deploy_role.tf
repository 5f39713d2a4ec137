# The role the deploy workflow assumes with GitHub's OIDC token: only from this repository's
# job in this environment, and only what scripts/deploy/01-03 do.
data "aws_iam_openid_connect_provider" "github" {
  url = "https://token.actions.githubusercontent.com"
}

data "aws_iam_policy_document" "deploy_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [data.aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:environment:${var.github_environment}"]
    }
  }
}

locals {
  account      = data.aws_caller_identity.current.account_id
  region       = data.aws_region.current.name
  cluster_arn  = aws_ecs_cluster.this.arn
  family_arns  = "arn:aws:ecs:${local.region}:${local.account}:task-definition/${local.prefix}-*:*"
  service_arns = "arn:aws:ecs:${local.region}:${local.account}:service/${local.prefix}/*"
  task_arns    = "arn:aws:ecs:${local.region}:${local.account}:task/${local.prefix}/*"
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # no resource-level permissions for this action
  }
  statement {
    sid = "PushImages"
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
      "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload",
      "ecr:PutImage", "ecr:UploadLayerPart",
    ]
    resources = [for repository in aws_ecr_repository.this : repository.arn]
  }
  statement {
    sid = "TaskDefinitions"
    # Register and describe have no resource-level permissions.
    actions   = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]
    resources = ["*"]
  }
  statement {
    sid       = "TagOwnTaskDefinitions"
    actions   = ["ecs:TagResource"]
    resources = [local.family_arns]
  }
  statement {
    sid       = "Services"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = [local.service_arns]
  }
  statement {
    sid       = "MigrationTasks"
    actions   = ["ecs:RunTask"]
    resources = [local.family_arns]
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [local.cluster_arn]
    }
  }
  statement {
    sid       = "WatchTasks"
    actions   = ["ecs:DescribeTasks", "ecs:ListTasks"]
    resources = [local.task_arns, local.cluster_arn]
  }
  statement {
    sid     = "PassOnlyTheServicesRoles"
    actions = ["iam:PassRole"]
    resources = flatten([
      for service in module.service : [service.execution_role_arn, service.task_role_arn]
    ])
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
  statement {
    sid       = "ReadLogs"
    actions   = ["logs:FilterLogEvents", "logs:GetLogEvents"]
    resources = flatten([for service in module.service : [service.log_group_arn, "${service.log_group_arn}:*"]])
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${local.prefix}-deploy"
  assume_role_policy   = data.aws_iam_policy_document.deploy_trust.json
  max_session_duration = 7200
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy-peerprep"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}
