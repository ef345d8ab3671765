output "notifications" {
  description = "The notifications topic and queue (backends → pusher), in SUMU's shape: the queue's ARN is what a backend's IAM policy names."
  value = {
    topic = { name = aws_sns_topic.channel["notifications"].name, arn = aws_sns_topic.channel["notifications"].arn }
    queue = {
      name = aws_sqs_queue.channel["notifications"].name
      arn  = aws_sqs_queue.channel["notifications"].arn
      url  = aws_sqs_queue.channel["notifications"].url
    }
  }
}

output "messages" {
  description = "The messages topic and queue (clients → backends, presence), in SUMU's shape."
  value = {
    topic = { name = aws_sns_topic.channel["messages"].name, arn = aws_sns_topic.channel["messages"].arn }
    queue = {
      name = aws_sqs_queue.channel["messages"].name
      arn  = aws_sqs_queue.channel["messages"].arn
      url  = aws_sqs_queue.channel["messages"].url
    }
  }
}

output "connections_table" {
  description = "The registry's DynamoDB table."
  value = {
    name       = aws_dynamodb_table.connections.name
    arn        = aws_dynamodb_table.connections.arn
    stream_arn = aws_dynamodb_table.connections.stream_arn
  }
}

output "websocket_url" {
  description = "Where clients connect (add ?authorization=<JWT>). ecs: the load balancer (point a DNS name covered by the certificate at it); serverless: the API's stage."
  value       = local.ecs ? "wss://${aws_lb.gateway[0].dns_name}/ws" : aws_apigatewayv2_stage.ws[0].invoke_url
}

output "load_balancer" {
  description = "Deployment ecs: the load balancer's DNS name and zone, for a DNS alias record (null with serverless)."
  value = local.ecs ? {
    dns_name = aws_lb.gateway[0].dns_name
    zone_id  = aws_lb.gateway[0].zone_id
  } : null
}

output "cluster_name" {
  description = "Deployment ecs: the ECS cluster running the gateway and pusher services (null with serverless)."
  value       = local.ecs ? aws_ecs_cluster.this[0].name : null
}

output "ws_api_id" {
  description = "Deployment serverless: the WebSocket API's id (SUMU's output; null with ecs)."
  value       = local.serverless ? aws_apigatewayv2_api.ws[0].id : null
}

output "ws_api_stage_name" {
  description = "Deployment serverless: the WebSocket API's stage (SUMU's output; null with ecs)."
  value       = local.serverless ? aws_apigatewayv2_stage.ws[0].name : null
}

output "apigw_endpoint" {
  description = "Deployment serverless: the Management API endpoint backends may post to (@connections; null with ecs)."
  value       = local.serverless ? local.apigw_endpoint : null
}
