locals {
  table_name = "${var.prefix}-connections"
  # The registry's layout (registry/…/RegistryTable.java): keep in step; checks/consistency.mjs compares them.
  index_name = "sk-index"
  channels   = toset(["notifications", "messages"])
  tags       = merge(var.common_tags, { "switchboard:prefix" = var.prefix })
}
