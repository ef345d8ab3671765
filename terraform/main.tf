locals {
  table_name = "${var.prefix}-connections"
  # The registry's layout (registry/…/RegistryTable.java): keep in step; checks/consistency.mjs compares them.
  index_name = "sk-index"
  channels   = toset(["notifications", "messages"])
  # The notifications topic always feeds the pusher's queue; the messages topic feeds the messages queue only when
  # asked (as in SUMU, a client's publish then reaches the topic's subscribers only, not also the queue).
  copied = toset([for channel in local.channels : channel if channel == "notifications" || var.copy_messages_topic_to_queue])
  tags   = merge(var.common_tags, { "switchboard:prefix" = var.prefix })
}
