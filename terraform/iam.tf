data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Pulls images and writes logs: the same for both services.
resource "aws_iam_role" "execution" {
  count = local.ecs ? 1 : 0

  name               = "${var.prefix}-ecs-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  count = local.ecs ? 1 : 0

  role       = aws_iam_role.execution[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# The gateway writes the registry and publishes or sends outputs; nothing more.
data "aws_iam_policy_document" "gateway" {
  statement {
    sid = "Registry"
    actions = [
      "dynamodb:BatchWriteItem",
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]
    resources = [aws_dynamodb_table.connections.arn, "${aws_dynamodb_table.connections.arn}/index/*"]
  }

  statement {
    sid       = "Outputs"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.channel["messages"].arn]
  }

  statement {
    sid       = "OutputsQueue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.channel["messages"].arn]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "Encryption"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

# The pusher reads the registry, prunes gone connections from it, and consumes its queue; nothing more.
data "aws_iam_policy_document" "pusher" {
  statement {
    sid = "Registry"
    actions = [
      "dynamodb:BatchWriteItem",
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]
    resources = [aws_dynamodb_table.connections.arn, "${aws_dynamodb_table.connections.arn}/index/*"]
  }

  statement {
    sid = "Consume"
    actions = [
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
    ]
    resources = [aws_sqs_queue.channel["notifications"].arn]
  }

  # The ecs pusher moves a refused request to the dead-letter queue itself; on Lambda, the queue's redrive does.
  dynamic "statement" {
    for_each = local.ecs ? [aws_sqs_queue.dead_letter["notifications"].arn] : []
    content {
      sid       = "DeadLetter"
      actions   = ["sqs:GetQueueUrl", "sqs:SendMessage"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "Encryption"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role" "task" {
  for_each = local.ecs ? local.services : toset([])

  name               = "${var.prefix}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "task" {
  for_each = local.ecs ? local.services : toset([])

  name   = "${var.prefix}-${each.key}"
  role   = aws_iam_role.task[each.key].id
  policy = each.key == "gateway" ? data.aws_iam_policy_document.gateway.json : data.aws_iam_policy_document.pusher.json
}

# Deployment serverless: each function's role — its log group, and what its service does above (the gateway's and
# the pusher's documents), plus posting to this API's connections only.
data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "function" {
  for_each = local.functions

  source_policy_documents = each.key == "gateway" ? [data.aws_iam_policy_document.gateway.json] : each.key == "pusher" ? [data.aws_iam_policy_document.pusher.json] : []

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function[each.key].arn}:*"]
  }

  dynamic "statement" {
    for_each = each.key == "authorizer" ? [] : ["${aws_apigatewayv2_api.ws[0].execution_arn}/${var.stage_name}/POST/@connections/*"]
    content {
      sid       = "Connections"
      actions   = ["execute-api:ManageConnections"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each = local.functions

  name               = "${var.prefix}-${each.key}-lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "function" {
  for_each = local.functions

  name   = "${var.prefix}-${each.key}"
  role   = aws_iam_role.function[each.key].id
  policy = data.aws_iam_policy_document.function[each.key].json
}
