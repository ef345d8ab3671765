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
  description = "Where clients connect (add ?authorization=<JWT>); point a DNS name covered by the certificate at the load balancer."
  value       = "wss://${aws_lb.gateway.dns_name}/ws"
}

output "load_balancer" {
  description = "The load balancer's DNS name and zone, for a DNS alias record."
  value = {
    dns_name = aws_lb.gateway.dns_name
    zone_id  = aws_lb.gateway.zone_id
  }
}

output "cluster_name" {
  description = "The ECS cluster running the gateway and pusher services."
  value       = aws_ecs_cluster.this.name
}
