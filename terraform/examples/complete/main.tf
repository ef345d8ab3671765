terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0, < 7.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  description = "The AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "vpc_id" {
  description = "An existing VPC."
  type        = string
}

variable "private_subnet_ids" {
  description = "Its private subnets (with a NAT gateway or VPC endpoints)."
  type        = list(string)
}

variable "public_subnet_ids" {
  description = "Its public subnets, in two or more availability zones."
  type        = list(string)
}

variable "certificate_arn" {
  description = "An ACM certificate for the name clients will connect to."
  type        = string
}

variable "image_tag" {
  description = "The tag of the gateway and pusher images pushed to ECR (docker/README.md)."
  type        = string
  default     = "latest"
}

variable "issuer_jwks_uri" {
  description = "Your identity provider's JWKS URL (Cognito: https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json)."
  type        = string
}

variable "audiences" {
  description = "The audiences (client ids) your tokens carry."
  type        = list(string)
}

variable "issuer" {
  description = "The iss your tokens carry (Cognito: https://cognito-idp.<region>.amazonaws.com/<pool>)."
  type        = string
}

data "aws_caller_identity" "current" {}

locals {
  registry = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${var.region}.amazonaws.com"
}

module "switchboard" {
  source = "../.."

  prefix      = "switchboard-example"
  common_tags = { project = "switchboard-example" }

  vpc_id            = var.vpc_id
  subnet_ids        = var.private_subnet_ids
  public_subnet_ids = var.public_subnet_ids
  certificate_arn   = var.certificate_arn

  gateway_image = "${local.registry}/switchboard-gateway:${var.image_tag}"
  pusher_image  = "${local.registry}/switchboard-pusher:${var.image_tag}"

  issuer_jwks_uri      = var.issuer_jwks_uri
  authorized_audiences = var.audiences
  issuer               = var.issuer
}

output "websocket_url" {
  description = "Connect here with ?authorization=<JWT>."
  value       = module.switchboard.websocket_url
}

output "notifications_queue" {
  description = "Send notification requests here (or publish them to the topic)."
  value       = module.switchboard.notifications.queue
}

output "notifications_topic" {
  description = "Publish notification requests here."
  value       = module.switchboard.notifications.topic
}
