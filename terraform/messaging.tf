resource "aws_sqs_queue" "dead_letter" {
  for_each = local.channels

  name                      = "${var.prefix}-${each.key}-dlq"
  kms_master_key_id         = var.kms_key_arn
  message_retention_seconds = var.dead_letter_retention_seconds
  tags                      = local.tags
}

resource "aws_sqs_queue" "channel" {
  for_each = local.channels

  name                       = "${var.prefix}-${each.key}"
  kms_master_key_id          = var.kms_key_arn
  visibility_timeout_seconds = local.visibility_timeout
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter[each.key].arn
    maxReceiveCount     = var.max_receive_count
  })
  tags = local.tags
}

resource "aws_sns_topic" "channel" {
  for_each = local.channels

  name              = "${var.prefix}-${each.key}"
  kms_master_key_id = var.kms_key_arn
  tags              = local.tags
}

resource "aws_sns_topic_subscription" "channel" {
  for_each = local.copied

  topic_arn            = aws_sns_topic.channel[each.key].arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.channel[each.key].arn
  raw_message_delivery = true
}

data "aws_iam_policy_document" "topic_to_queue" {
  for_each = local.copied

  statement {
    sid       = "TopicToQueue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.channel[each.key].arn]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.channel[each.key].arn]
    }
  }
}

resource "aws_sqs_queue_policy" "channel" {
  for_each = local.copied

  queue_url = aws_sqs_queue.channel[each.key].id
  policy    = data.aws_iam_policy_document.topic_to_queue[each.key].json
}
