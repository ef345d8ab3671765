variable "deployment" {
  description = "How the gateway and pusher run: ecs (Fargate services behind an ALB, always on) or serverless (an API Gateway WebSocket API and Lambda functions, nothing paid while idle). README.md compares them."
  type        = string
  default     = "ecs"

  validation {
    condition     = contains(["ecs", "serverless"], var.deployment)
    error_message = "deployment must be ecs or serverless."
  }
}

variable "prefix" {
  description = "Prefix of every resource name (the table is <prefix>-connections, the queues <prefix>-notifications, ...)."
  type        = string

  validation {
    # The longest name built from it is the load balancer's and its target group's, <prefix>-gateway: AWS allows 32
    # letters, digits and hyphens there, not starting or ending with a hyphen.
    condition     = can(regex("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,22}[a-zA-Z0-9])?$", var.prefix))
    error_message = "prefix must be 1-24 letters, digits or '-', not starting or ending with '-': it becomes <prefix>-gateway, the load balancer's name, which AWS limits to 32 such characters."
  }
}

variable "common_tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "billing_mode" {
  description = "The connections table's billing mode: PAY_PER_REQUEST or PROVISIONED."
  type        = string
  default     = "PAY_PER_REQUEST"

  validation {
    condition     = contains(["PAY_PER_REQUEST", "PROVISIONED"], var.billing_mode)
    error_message = "billing_mode must be PAY_PER_REQUEST or PROVISIONED."
  }
}

variable "read_capacity" {
  description = "With billing_mode PROVISIONED: the table's and its index's read capacity units (required then)."
  type        = number
  default     = null
}

variable "write_capacity" {
  description = "With billing_mode PROVISIONED: the table's and its index's write capacity units (required then; every registry write is written to the index too)."
  type        = number
  default     = null
}

variable "point_in_time_recovery" {
  description = "Point-in-time recovery on the connections table."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "A KMS key for the table, queues and topics; null uses AWS-owned keys."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:...)."
  }
}

variable "max_receive_count" {
  description = "Receives before a message moves to its queue's dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must lie between 1 and 1000."
  }
}

variable "vpc_id" {
  description = "The VPC the services and the load balancer run in. Deployment ecs only, required there."
  type        = string
  default     = null

  validation {
    condition     = var.vpc_id == null ? true : can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the gateway and pusher tasks (they need a route to AWS APIs and the image registry). Deployment ecs only, required there."
  type        = list(string)
  default     = null

  validation {
    condition     = var.subnet_ids == null ? true : (length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))]))
    error_message = "subnet_ids must hold at least one subnet id (subnet-...)."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets for the load balancer (at least two, in different availability zones). Deployment ecs only, required there."
  type        = list(string)
  default     = null

  validation {
    condition     = var.public_subnet_ids == null ? true : (length(var.public_subnet_ids) >= 2 && alltrue([for s in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))]))
    error_message = "public_subnet_ids must hold at least two subnet ids (an ALB spans two availability zones)."
  }
}

variable "certificate_arn" {
  description = "The ACM certificate of the load balancer's HTTPS (wss://) listener. Deployment ecs only, required there."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null ? true : can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:...)."
  }
}

variable "gateway_image" {
  description = "The gateway's container image URI (docker/gateway.Dockerfile). Deployment ecs only, required there."
  type        = string
  default     = null

  validation {
    condition     = var.gateway_image == null ? true : length(trimspace(var.gateway_image)) > 0
    error_message = "gateway_image must name an image."
  }
}

variable "pusher_image" {
  description = "The pusher's container image URI (docker/pusher.Dockerfile). Deployment ecs only, required there."
  type        = string
  default     = null

  validation {
    condition     = var.pusher_image == null ? true : length(trimspace(var.pusher_image)) > 0
    error_message = "pusher_image must name an image."
  }
}

variable "issuer_jwks_uri" {
  description = "The JWKS URL of the identity provider whose tokens clients bring."
  type        = string

  validation {
    condition     = can(regex("^https://", var.issuer_jwks_uri))
    error_message = "issuer_jwks_uri must be an https:// URL."
  }
}

variable "issuer" {
  description = "The iss tokens must carry. Required unless accept_any_audience_and_issuer is true."
  type        = string
  default     = null
}

variable "authorized_audiences" {
  description = "Audiences a token may carry (one must match). Required unless accept_any_audience_and_issuer is true."
  type        = list(string)
  default     = []
}

variable "accept_any_audience_and_issuer" {
  description = "Accept tokens whatever their aud and iss, when authorized_audiences or issuer is left unset. Only for keys that sign tokens for this app alone: Firebase's keys sign every Firebase project's tokens, a Cognito pool's every app client's, so without aud and iss any of those tokens would be accepted."
  type        = bool
  default     = false
}

variable "verify_token_expiration" {
  description = "Refuse expired tokens (turn off only for testing)."
  type        = bool
  default     = true
}

variable "presence_target" {
  description = "Where presence events (ONLINE/OFFLINE) go: topic, queue or none."
  type        = string
  default     = "topic"

  validation {
    condition     = contains(["topic", "queue", "none"], var.presence_target)
    error_message = "presence_target must be topic, queue or none."
  }
}

variable "gateway_desired_count" {
  description = "Gateway tasks at start; autoscaling moves between it and gateway_max_count."
  type        = number
  default     = 2
}

variable "gateway_max_count" {
  description = "Most gateway tasks autoscaling may run."
  type        = number
  default     = 10

  validation {
    condition     = var.gateway_max_count >= 1
    error_message = "gateway_max_count must be at least 1."
  }
}

variable "pusher_desired_count" {
  description = "Pusher tasks at start; autoscaling moves between it and pusher_max_count."
  type        = number
  default     = 1
}

variable "pusher_max_count" {
  description = "Most pusher tasks autoscaling may run."
  type        = number
  default     = 4

  validation {
    condition     = var.pusher_max_count >= 1
    error_message = "pusher_max_count must be at least 1."
  }
}

variable "gateway_cpu" {
  description = "Fargate CPU units of a gateway task (256, 512, 1024, 2048, 4096)."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.gateway_cpu)
    error_message = "gateway_cpu must be a Fargate size: 256, 512, 1024, 2048 or 4096."
  }
}

variable "gateway_memory" {
  description = "Memory (MiB) of a gateway task; must suit gateway_cpu on Fargate."
  type        = number
  default     = 1024
}

variable "java_options" {
  description = "JVM flags of the gateway and pusher tasks (JDK_JAVA_OPTIONS; the images carry the same). Measured in docs/benchmarks.md: with the JVM's default heap free ratios an idle gateway held 2.7 times its live heap; these keep it near 1.6 times."
  type        = string
  default     = "-XX:MaxRAMPercentage=75 -XX:+UseCompactObjectHeaders -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
}

variable "pusher_cpu" {
  description = "Fargate CPU units of a pusher task (256, 512, 1024, 2048, 4096)."
  type        = number
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.pusher_cpu)
    error_message = "pusher_cpu must be a Fargate size: 256, 512, 1024, 2048 or 4096."
  }
}

variable "pusher_memory" {
  description = "Memory (MiB) of a pusher task; must suit pusher_cpu on Fargate."
  type        = number
  default     = 512
}

variable "deregistration_delay" {
  description = "Seconds the load balancer keeps a stopping gateway registered while its connections drain."
  type        = number
  default     = 30

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600
    error_message = "deregistration_delay must lie between 0 and 3600 seconds."
  }
}

variable "slow_start" {
  description = "Seconds the load balancer ramps a new gateway task's share of new connections up from zero (ALB slow start; 0 turns it off): a JVM's first minute is its slowest (docs/benchmarks.md, The first minute)."
  type        = number
  default     = 60

  validation {
    condition     = var.slow_start == 0 || (var.slow_start >= 30 && var.slow_start <= 900)
    error_message = "slow_start must be 0 (off) or lie between 30 and 900 seconds."
  }
}

variable "log_retention_days" {
  description = "Days the services' CloudWatch logs are kept."
  type        = number
  default     = 30
}

variable "copy_messages_topic_to_queue" {
  description = "Also deliver the messages topic (client publish, presence when presence_target is topic) into the messages queue. Off, as in SUMU: a client's send reaches the queue, its publish the topic's subscribers."
  type        = bool
  default     = false
}

variable "queue_visibility_timeout" {
  description = "Seconds a received message stays hidden from other consumers (the notifications and messages queues). null: 30 with deployment ecs (the pusher settles a message well within it), six times pusher_lambda_timeout with serverless (as AWS advises for a Lambda event source)."
  type        = number
  default     = null

  validation {
    condition     = var.queue_visibility_timeout == null ? true : (var.queue_visibility_timeout >= 0 && var.queue_visibility_timeout <= 43200)
    error_message = "queue_visibility_timeout must be 0 to 43200 seconds (SQS's limits)."
  }
}

variable "dead_letter_retention_seconds" {
  description = "Seconds the dead-letter queues keep a message (the longest SQS allows, 14 days, by default: time to look at what failed)."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dead_letter_retention_seconds >= 60 && var.dead_letter_retention_seconds <= 1209600
    error_message = "dead_letter_retention_seconds must be 60 to 1209600 (14 days), SQS's limits."
  }
}


variable "presence_source" {
  description = "SUMU's name for presence_target (topic, queue or none); when set, it wins."
  type        = string
  default     = null

  validation {
    condition     = var.presence_source == null ? true : contains(["topic", "queue", "none"], var.presence_source)
    error_message = "presence_source must be topic, queue or none."
  }
}

variable "topic_rules" {
  description = "The gateway's topic rules as JSON text (TOPICS_RULES: the root README's \"Topic rules\"); null keeps the gateway's default."
  type        = string
  default     = null

  validation {
    condition     = var.topic_rules == null ? true : can(tolist(jsondecode(var.topic_rules)))
    error_message = "topic_rules must be a JSON list of rules."
  }
}

variable "token_context_claims" {
  description = "Deployment serverless: token claims the authorizer passes to the gateway on every route, for topic rules' {claim.NAME} (for example [\"rooms\"])."
  type        = list(string)
  default     = []
}

variable "stage_name" {
  description = "Deployment serverless: the WebSocket API's stage, the last part of its URL (SUMU's name)."
  type        = string
  default     = "production"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name must be 1-128 letters, digits, '-' or '_'."
  }
}

variable "apigw_endpoint" {
  description = "Deployment serverless: the Management API endpoint the Lambdas post to (SUMU's name); null: the stage's own https://{api-id}.execute-api.{region}.amazonaws.com/{stage}."
  type        = string
  default     = null

  validation {
    condition     = var.apigw_endpoint == null ? true : can(regex("^https://", var.apigw_endpoint))
    error_message = "apigw_endpoint must be an https:// URL."
  }
}

variable "lambda_packages_dir" {
  description = "Deployment serverless: the directory holding app-lambda/, pusher-lambda/ and authorizer-lambda/ with their target/*.zip, as `mvn package` leaves them; null: the repository this module is in."
  type        = string
  default     = null
}

variable "lambda_memory_size" {
  description = "Deployment serverless: MiB of the gateway's and the pusher's functions (CPU grows with it; the authorizer gets half)."
  type        = number
  default     = 1024

  validation {
    condition     = var.lambda_memory_size >= 256 && var.lambda_memory_size <= 10240
    error_message = "lambda_memory_size must be 256 to 10240 MiB."
  }
}

variable "pusher_lambda_timeout" {
  description = "Deployment serverless: seconds one batch of notifications may take in the pusher's function."
  type        = number
  default     = 30

  validation {
    condition     = var.pusher_lambda_timeout >= 3 && var.pusher_lambda_timeout <= 900
    error_message = "pusher_lambda_timeout must be 3 to 900 seconds (Lambda's limits)."
  }
}

variable "pusher_lambda_concurrency" {
  description = "Deployment serverless: most pusher functions the queue's event source runs at once (2-1000)."
  type        = number
  default     = 10

  validation {
    condition     = var.pusher_lambda_concurrency >= 2 && var.pusher_lambda_concurrency <= 1000
    error_message = "pusher_lambda_concurrency must be 2 to 1000 (the event source mapping's maximum concurrency)."
  }
}

variable "throttling_rate_limit" {
  description = "Deployment serverless: messages per second the stage accepts, across all clients (API Gateway's throttling)."
  type        = number
  default     = 1000
}

variable "throttling_burst_limit" {
  description = "Deployment serverless: messages the stage accepts at once above the rate."
  type        = number
  default     = 500
}
