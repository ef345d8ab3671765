resource "aws_dynamodb_table" "connections" {
  name             = local.table_name
  billing_mode     = var.billing_mode
  read_capacity    = var.billing_mode == "PROVISIONED" ? var.read_capacity : null
  write_capacity   = var.billing_mode == "PROVISIONED" ? var.write_capacity : null
  hash_key         = "pk"
  range_key        = "sk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  global_secondary_index {
    name            = local.index_name
    hash_key        = "sk"
    range_key       = "pk"
    projection_type = "ALL"
    read_capacity   = var.billing_mode == "PROVISIONED" ? var.read_capacity : null
    write_capacity  = var.billing_mode == "PROVISIONED" ? var.write_capacity : null
  }

  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = var.kms_key_arn != null
    kms_key_arn = var.kms_key_arn
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.billing_mode != "PROVISIONED" || (var.read_capacity != null && var.write_capacity != null)
      error_message = "billing_mode PROVISIONED needs read_capacity and write_capacity (the table's and its index's)."
    }
    precondition {
      condition     = var.accept_any_audience_and_issuer || (length(var.authorized_audiences) > 0 && var.issuer != null)
      error_message = "Set authorized_audiences and issuer: without them the gateway accepts every token the JWKS's keys ever signed, for any app. If those keys sign tokens for you alone, set accept_any_audience_and_issuer = true."
    }
    precondition {
      condition     = !local.ecs || alltrue([for v in [var.vpc_id, var.subnet_ids, var.public_subnet_ids, var.certificate_arn, var.gateway_image, var.pusher_image] : v != null])
      error_message = "deployment ecs needs vpc_id, subnet_ids, public_subnet_ids, certificate_arn, gateway_image and pusher_image."
    }
    precondition {
      condition     = local.serverless || (var.apigw_endpoint == null && length(var.token_context_claims) == 0)
      error_message = "apigw_endpoint and token_context_claims apply to deployment serverless only."
    }
    precondition {
      condition     = !local.serverless || local.visibility_timeout >= 6 * var.pusher_lambda_timeout
      error_message = "With deployment serverless, queue_visibility_timeout must be at least six times pusher_lambda_timeout (AWS's advice for an SQS event source), or null to get exactly that."
    }
  }
}
