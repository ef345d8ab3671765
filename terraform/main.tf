locals {
  table_name = "${var.prefix}-connections"
  # The registry's layout (registry/…/RegistryTable.java): keep in step; checks/consistency.mjs compares them.
  index_name = "sk-index"
  channels   = toset(["notifications", "messages"])
  # The notifications topic always feeds the pusher's queue; the messages topic feeds the messages queue only when
  # asked (as in SUMU, a client's publish then reaches the topic's subscribers only, not also the queue).
  copied = toset([for channel in local.channels : channel if channel == "notifications" || var.copy_messages_topic_to_queue])
  tags   = merge(var.common_tags, { "switchboard:prefix" = var.prefix })

  ecs        = var.deployment == "ecs"
  serverless = var.deployment == "serverless"
  # SUMU's presence_source, when given, is presence_target.
  presence_target    = coalesce(var.presence_source, var.presence_target)
  visibility_timeout = coalesce(var.queue_visibility_timeout, local.serverless ? 6 * var.pusher_lambda_timeout : 30)
  topic_rules        = var.topic_rules == null ? {} : { TOPICS_RULES = var.topic_rules }
  auth_environment = merge(
    {
      AUTH_JWKS_URI          = var.issuer_jwks_uri
      AUTH_AUDIENCES         = join(",", var.authorized_audiences)
      AUTH_VERIFY_EXPIRATION = tostring(var.verify_token_expiration)
    },
    var.issuer == null ? {} : { AUTH_ISSUER = var.issuer },
  )
}
