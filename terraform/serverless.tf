# Deployment serverless: an API Gateway WebSocket API in front of three Lambda functions — the authorizer on
# $connect, the gateway on every route, the pusher on the notifications queue — on the same table, queues and topics
# as the ecs deployment. Built by `mvn package` (each module's target/*.zip).

locals {
  packages_dir = coalesce(var.lambda_packages_dir, "${path.module}/..")
  # Each function: its module's zip, its handler, its memory (the authorizer only verifies a token).
  functions = local.serverless ? {
    authorizer = { package = "authorizer-lambda", handler = "dev.switchboard.authorizer.lambda.ConnectAuthorizer::handleRequest", memory = max(256, floor(var.lambda_memory_size / 2)), timeout = 10 }
    gateway    = { package = "app-lambda", handler = "dev.switchboard.app.lambda.WebSocketHandler::handleRequest", memory = var.lambda_memory_size, timeout = 29 }
    pusher     = { package = "pusher-lambda", handler = "dev.switchboard.pusher.lambda.NotificationsHandler::handleRequest", memory = var.lambda_memory_size, timeout = var.pusher_lambda_timeout }
  } : {}
  # SUMU's route selection: SUMU's frames by their action, everything else (y-webrtc's type frames) on $default.
  routes = local.serverless ? toset(["$connect", "$disconnect", "$default", "ping", "send", "publish"]) : toset([])

  apigw_endpoint = local.serverless ? coalesce(var.apigw_endpoint, "https://${aws_apigatewayv2_api.ws[0].id}.execute-api.${data.aws_region.current.region}.amazonaws.com/${var.stage_name}") : null
  # Environment names as the functions read them (gateway.yaml, pusher.yaml, the authorizer's LambdaSettings);
  # checks/consistency.mjs holds them to that. Tiered compilation stopped at C1: the JIT's quickest start.
  java_options                 = { JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1" }
  authorizer_environment       = merge(local.java_options, local.auth_environment, { AUTH_CONTEXT_CLAIMS = join(",", var.token_context_claims) })
  gateway_function_environment = merge(local.java_options, local.outputs_environment, { APIGW_ENDPOINT = local.apigw_endpoint })
  pusher_function_environment = merge(local.java_options, {
    CONNECTIONS_TABLE = aws_dynamodb_table.connections.name
    CONNECTIONS_INDEX = local.index_name
    APIGW_ENDPOINT    = local.apigw_endpoint
  })
  function_environment = {
    authorizer = local.authorizer_environment
    gateway    = local.gateway_function_environment
    pusher     = local.pusher_function_environment
  }
}

resource "aws_apigatewayv2_api" "ws" {
  count = local.serverless ? 1 : 0

  name                       = "${var.prefix}-ws"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
  tags                       = local.tags
}

resource "aws_apigatewayv2_authorizer" "connect" {
  count = local.serverless ? 1 : 0

  api_id           = aws_apigatewayv2_api.ws[0].id
  name             = "${var.prefix}-connect"
  authorizer_type  = "REQUEST"
  authorizer_uri   = aws_lambda_function.this["authorizer"].invoke_arn
  identity_sources = ["route.request.querystring.authorization"]
}

resource "aws_apigatewayv2_integration" "gateway" {
  count = local.serverless ? 1 : 0

  api_id           = aws_apigatewayv2_api.ws[0].id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.this["gateway"].invoke_arn
}

resource "aws_apigatewayv2_route" "this" {
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.ws[0].id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.gateway[0].id}"
  authorization_type = each.key == "$connect" ? "CUSTOM" : "NONE"
  authorizer_id      = each.key == "$connect" ? aws_apigatewayv2_authorizer.connect[0].id : null
}

resource "aws_apigatewayv2_stage" "ws" {
  count = local.serverless ? 1 : 0

  api_id      = aws_apigatewayv2_api.ws[0].id
  name        = var.stage_name
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api[0].arn
    format = jsonencode({
      requestId    = "$context.requestId"
      connectionId = "$context.connectionId"
      routeKey     = "$context.routeKey"
      eventType    = "$context.eventType"
      status       = "$context.status"
      error        = "$context.error.message"
      authorizer   = "$context.authorizer.error"
      user         = "$context.authorizer.principalId"
    })
  }

  # Routes change the deployment: a stage made before them would serve none.
  depends_on = [aws_apigatewayv2_route.this]

  tags = local.tags
}

resource "aws_cloudwatch_log_group" "api" {
  count = local.serverless ? 1 : 0

  name              = "/switchboard/${var.prefix}/api"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_cloudwatch_log_group" "function" {
  for_each = local.functions

  name              = "/aws/lambda/${var.prefix}-${each.key}"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_lambda_function" "this" {
  for_each = local.functions

  function_name    = "${var.prefix}-${each.key}"
  role             = aws_iam_role.function[each.key].arn
  runtime          = "java21"
  architectures    = ["arm64"]
  handler          = each.value.handler
  filename         = "${local.packages_dir}/${each.value.package}/target/switchboard-${each.value.package}.zip"
  source_code_hash = filebase64sha256("${local.packages_dir}/${each.value.package}/target/switchboard-${each.value.package}.zip")
  memory_size      = each.value.memory
  timeout          = each.value.timeout

  environment {
    variables = local.function_environment[each.key]
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }

  tags = local.tags
}

resource "aws_lambda_permission" "api" {
  for_each = local.serverless ? toset(["authorizer", "gateway"]) : toset([])

  statement_id  = "api-gateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.ws[0].execution_arn}/*"
}

# The pusher on the notifications queue (which the notifications topic feeds): a record it could not deliver to
# every target is reported in batchItemFailures, so only it comes back, and the redrive dead-letters it in the end.
resource "aws_lambda_event_source_mapping" "pusher" {
  count = local.serverless ? 1 : 0

  event_source_arn                   = aws_sqs_queue.channel["notifications"].arn
  function_name                      = aws_lambda_function.this["pusher"].arn
  batch_size                         = 10
  maximum_batching_window_in_seconds = 0
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.pusher_lambda_concurrency
  }
}
