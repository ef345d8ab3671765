resource "aws_security_group" "alb" {
  count = local.ecs ? 1 : 0

  name        = "${var.prefix}-alb"
  description = "The load balancer: wss:// from anywhere."
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  count = local.ecs ? 1 : 0

  security_group_id = aws_security_group.alb[0].id
  description       = "HTTPS and wss:// from clients"
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_gateways" {
  count = local.ecs ? 1 : 0

  security_group_id            = aws_security_group.alb[0].id
  description                  = "to the gateways' public and health ports"
  referenced_security_group_id = aws_security_group.gateway[0].id
  from_port                    = local.public_port
  to_port                      = local.internal_port
  ip_protocol                  = "tcp"
}

resource "aws_security_group" "gateway" {
  count = local.ecs ? 1 : 0

  name        = "${var.prefix}-gateway"
  description = "Gateways: the public port from the load balancer; the internal Management API port only from gateways and pushers."
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_security_group" "pusher" {
  count = local.ecs ? 1 : 0

  name        = "${var.prefix}-pusher"
  description = "Pushers: no inbound traffic."
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "gateway_public" {
  count = local.ecs ? 1 : 0

  security_group_id            = aws_security_group.gateway[0].id
  description                  = "WebSocket from the load balancer"
  referenced_security_group_id = aws_security_group.alb[0].id
  from_port                    = local.public_port
  to_port                      = local.public_port
  ip_protocol                  = "tcp"
}

resource "aws_vpc_security_group_ingress_rule" "gateway_health" {
  count = local.ecs ? 1 : 0

  security_group_id            = aws_security_group.gateway[0].id
  description                  = "health checks from the load balancer"
  referenced_security_group_id = aws_security_group.alb[0].id
  from_port                    = local.internal_port
  to_port                      = local.internal_port
  ip_protocol                  = "tcp"
}

resource "aws_vpc_security_group_ingress_rule" "internal" {
  for_each = local.ecs ? { gateway = aws_security_group.gateway[0].id, pusher = aws_security_group.pusher[0].id } : {}

  security_group_id            = aws_security_group.gateway[0].id
  description                  = "Management API from ${each.key}s"
  referenced_security_group_id = each.value
  from_port                    = local.internal_port
  to_port                      = local.internal_port
  ip_protocol                  = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "out" {
  for_each = local.ecs ? { gateway = aws_security_group.gateway[0].id, pusher = aws_security_group.pusher[0].id } : {}

  security_group_id = each.value
  description       = "AWS APIs, the image registry, the JWKS, other gateways"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_lb" "gateway" {
  count = local.ecs ? 1 : 0

  name               = "${var.prefix}-gateway"
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb[0].id]
  subnets            = var.public_subnet_ids
  # WebSocket connections stay open while idle (the gateway pings every 30 s).
  idle_timeout = 300
  tags         = local.tags
}

resource "aws_lb_target_group" "gateway" {
  count = local.ecs ? 1 : 0

  name                 = "${var.prefix}-gateway"
  port                 = local.public_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay
  # New tasks take new connections gradually while their JIT warms up (round robin, the default, supports it).
  slow_start = var.slow_start

  health_check {
    path                = "/health/ready"
    port                = tostring(local.internal_port)
    matcher             = "200"
    interval            = 10
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }

  tags = local.tags
}

resource "aws_lb_listener" "wss" {
  count = local.ecs ? 1 : 0

  load_balancer_arn = aws_lb.gateway[0].arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.gateway[0].arn
  }

  tags = local.tags
}
