locals {
  scaling = local.ecs ? {
    gateway = { service = aws_ecs_service.gateway[0].name, min = var.gateway_desired_count, max = var.gateway_max_count }
    pusher  = { service = aws_ecs_service.pusher[0].name, min = var.pusher_desired_count, max = var.pusher_max_count }
  } : {}
  # The pusher waits on SQS and the gateways, not on its CPU: it is scaled on how long notifications wait in its
  # queue (seconds the oldest one has waited), one task more per step, one fewer after a quiet spell.
  pusher_backlog = local.ecs ? {
    out = { comparison = "GreaterThanOrEqualToThreshold", threshold = 10, periods = 1, adjustment = 1 }
    in  = { comparison = "LessThanThreshold", threshold = 2, periods = 5, adjustment = -1 }
  } : {}
}

resource "aws_appautoscaling_target" "service" {
  for_each = local.scaling

  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this[0].name}/${each.value.service}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = each.value.min
  max_capacity       = each.value.max
}

# Gateways hold sockets and parse frames: CPU is what runs out first.
resource "aws_appautoscaling_policy" "cpu" {
  for_each = local.ecs ? toset(["gateway"]) : toset([])

  name               = "${var.prefix}-${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.service[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.service[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = 60
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "pusher_backlog" {
  for_each = local.pusher_backlog

  name               = "${var.prefix}-pusher-backlog-${each.key}"
  policy_type        = "StepScaling"
  service_namespace  = aws_appautoscaling_target.service["pusher"].service_namespace
  resource_id        = aws_appautoscaling_target.service["pusher"].resource_id
  scalable_dimension = aws_appautoscaling_target.service["pusher"].scalable_dimension

  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = each.key == "out" ? 60 : 300
    metric_aggregation_type = "Maximum"

    step_adjustment {
      metric_interval_lower_bound = each.key == "out" ? 0 : null
      metric_interval_upper_bound = each.key == "out" ? null : 0
      scaling_adjustment          = each.value.adjustment
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "pusher_backlog" {
  for_each = local.pusher_backlog

  alarm_name          = "${var.prefix}-pusher-backlog-${each.key}"
  alarm_description   = "Notifications wait in ${aws_sqs_queue.channel["notifications"].name}: scale the pusher ${each.key}."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.channel["notifications"].name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = each.value.periods
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  treat_missing_data  = each.key == "out" ? "notBreaching" : "breaching"
  alarm_actions       = [aws_appautoscaling_policy.pusher_backlog[each.key].arn]
  tags                = local.tags
}
