# Switchboard as SUMU ran: an API Gateway WebSocket API and Lambda functions, nothing paid while idle. Build the
# functions first (`mvn -DskipTests package` at the repository's root leaves app-lambda/, pusher-lambda/ and
# authorizer-lambda/target/*.zip, which the module uploads), then `terraform init && terraform apply`.

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

module "switchboard" {
  source = "../.."

  deployment  = "serverless"
  prefix      = "switchboard-serverless"
  common_tags = { project = "switchboard-serverless" }

  issuer_jwks_uri      = var.issuer_jwks_uri
  authorized_audiences = var.audiences
  issuer               = var.issuer

  # SUMU's names, meaning what they meant there.
  stage_name      = "production"
  presence_source = "queue"
}

output "websocket_url" {
  description = "Connect here with ?authorization=<JWT>."
  value       = module.switchboard.websocket_url
}

output "ws_api_id" {
  description = "The WebSocket API's id."
  value       = module.switchboard.ws_api_id
}

output "notifications" {
  description = "Send notification requests to the queue (or publish them to the topic); its ARN is what a backend's IAM policy names."
  value       = module.switchboard.notifications
}

output "messages" {
  description = "What clients send and publish, and presence (here to the queue)."
  value       = module.switchboard.messages
}
