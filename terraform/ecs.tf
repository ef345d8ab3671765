data "aws_region" "current" {}

data "aws_partition" "current" {}

resource "aws_ecs_cluster" "this" {
  count = local.ecs ? 1 : 0

  name = var.prefix
  tags = local.tags
}

resource "aws_cloudwatch_log_group" "service" {
  for_each = local.ecs ? local.services : toset([])

  name              = "/switchboard/${var.prefix}/${each.key}"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

locals {
  public_port   = 8080
  internal_port = 8081
  services      = toset(["gateway", "pusher"])

  # Environment names as the services read them (app/…/gateway.yaml, pusher/…/pusher.yaml); checks/consistency.mjs
  # holds them to that. MANAGEMENT_URL is left out on purpose: the gateway derives it from its own address, which on
  # Fargate (awsvpc) is the task's private IP, reachable by the other tasks.
  # What the gateway reads in both deployments (the serverless one adds its own: serverless.tf).
  outputs_environment = merge(
    {
      CONNECTIONS_TABLE  = aws_dynamodb_table.connections.name
      CONNECTIONS_INDEX  = local.index_name
      MESSAGES_TOPIC_ARN = aws_sns_topic.channel["messages"].arn
      MESSAGES_QUEUE_URL = aws_sqs_queue.channel["messages"].url
      PRESENCE_TARGET    = local.presence_target
    },
    local.topic_rules,
  )
  gateway_environment = merge(
    {
      AWS_REGION      = data.aws_region.current.region
      SERVER_PORT     = tostring(local.public_port)
      MANAGEMENT_PORT = tostring(local.internal_port)
      # The ALB appends the client's address to X-Forwarded-For: the gateway takes that entry, not the client's own.
      TRUSTED_PROXIES = "1"
      # The drain (1001 to every client) must end before the ALB's deregistration delay cuts what is left.
      SHUTDOWN_DEADLINE = "PT${max(var.deregistration_delay - 5, 5)}S"
      JDK_JAVA_OPTIONS  = var.java_options
    },
    local.auth_environment,
    local.outputs_environment,
  )
  pusher_environment = {
    AWS_REGION              = data.aws_region.current.region
    NOTIFICATIONS_QUEUE_URL = aws_sqs_queue.channel["notifications"].url
    CONNECTIONS_TABLE       = aws_dynamodb_table.connections.name
    CONNECTIONS_INDEX       = local.index_name
    JDK_JAVA_OPTIONS        = var.java_options
  }
}

resource "aws_ecs_task_definition" "service" {
  for_each = local.ecs ? local.services : toset([])

  family                   = "${var.prefix}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(each.key == "gateway" ? var.gateway_cpu : var.pusher_cpu)
  memory                   = tostring(each.key == "gateway" ? var.gateway_memory : var.pusher_memory)
  execution_role_arn       = aws_iam_role.execution[0].arn
  task_role_arn            = aws_iam_role.task[each.key].arn

  container_definitions = jsonencode([{
    name      = each.key
    image     = each.key == "gateway" ? var.gateway_image : var.pusher_image
    essential = true
    portMappings = each.key == "gateway" ? [
      { containerPort = local.public_port, protocol = "tcp" },
      { containerPort = local.internal_port, protocol = "tcp" },
    ] : []
    environment = [
      for name, value in(each.key == "gateway" ? local.gateway_environment : local.pusher_environment) :
      { name = name, value = value }
    ]
    # SIGTERM, then this long to drain (gateway) or finish and give back messages (pusher) before SIGKILL.
    stopTimeout = each.key == "gateway" ? 60 : 50
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.service[each.key].name
        awslogs-region        = data.aws_region.current.region
        awslogs-stream-prefix = each.key
      }
    }
  }])

  tags = local.tags
}

resource "aws_ecs_service" "gateway" {
  count = local.ecs ? 1 : 0

  name            = "${var.prefix}-gateway"
  cluster         = aws_ecs_cluster.this[0].id
  task_definition = aws_ecs_task_definition.service["gateway"].arn
  desired_count   = var.gateway_desired_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = var.subnet_ids
    security_groups = [aws_security_group.gateway[0].id]
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.gateway[0].arn
    container_name   = "gateway"
    container_port   = local.public_port
  }

  depends_on = [aws_lb_listener.wss]

  lifecycle {
    ignore_changes = [desired_count] # autoscaling owns it
    precondition {
      condition     = var.gateway_desired_count <= var.gateway_max_count
      error_message = "gateway_desired_count must not exceed gateway_max_count."
    }
  }

  tags = local.tags
}

resource "aws_ecs_service" "pusher" {
  count = local.ecs ? 1 : 0

  name            = "${var.prefix}-pusher"
  cluster         = aws_ecs_cluster.this[0].id
  task_definition = aws_ecs_task_definition.service["pusher"].arn
  desired_count   = var.pusher_desired_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = var.subnet_ids
    security_groups = [aws_security_group.pusher[0].id]
  }

  lifecycle {
    ignore_changes = [desired_count] # autoscaling owns it
    precondition {
      condition     = var.pusher_desired_count <= var.pusher_max_count
      error_message = "pusher_desired_count must not exceed pusher_max_count."
    }
  }

  tags = local.tags
}
