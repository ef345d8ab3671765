output "notifications" {
  description = "The notifications topic and queue (backends → pusher)."
  value = {
    topic = aws_sns_topic.channel["notifications"].arn
    queue = aws_sqs_queue.channel["notifications"].url
  }
}

output "messages" {
  description = "The messages topic and queue (clients → backends, presence)."
  value = {
    topic = aws_sns_topic.channel["messages"].arn
    queue = aws_sqs_queue.channel["messages"].url
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
