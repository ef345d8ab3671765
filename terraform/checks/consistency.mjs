// The connections table in Terraform must be the table the registry creates (registry/…/RegistryTable.java and
// its constants): keys, the index on (sk, pk) projecting everything, its default name, and TTL on `ttl`.
// And the environment Terraform sets for each service is made of names that service reads.
// Usage: node consistency.mjs <repository root>   Exit 1 with one line per mismatch.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@cdktn/hcl2json";

export async function checkConsistency(root) {
  const registry = join(root, "registry/src/main/java/dev/switchboard/registry");
  const items = readFileSync(join(registry, "Items.java"), "utf8");
  const settings = readFileSync(join(registry, "RegistrySettings.java"), "utf8");
  const table = readFileSync(join(registry, "RegistryTable.java"), "utf8");
  const constant = (source, name) => source.match(new RegExp(`static final String ${name} = "([^"]+)"`))?.[1];
  const java = {
    pk: constant(items, "PK"),
    sk: constant(items, "SK"),
    ttl: constant(items, "TTL"),
    index: constant(settings, "DEFAULT_INDEX"),
    indexKeys: /indexName\(settings\.index\(\)\)\s*\.keySchema\(key\(Items\.SK, KeyType\.HASH\), key\(Items\.PK, KeyType\.RANGE\)\)/.test(table),
    projectionAll: /ProjectionType\.ALL/.test(table),
  };
  const tf = await parse("dynamodb.tf", readFileSync(join(root, "terraform/dynamodb.tf"), "utf8"));
  const main = await parse("main.tf", readFileSync(join(root, "terraform/main.tf"), "utf8"));
  const locals = Object.assign({}, ...(main.locals ?? []));
  const resolve = (value) => (typeof value === "string" ? value.replace(/^\$\{local\.(\w+)\}$/, (_, name) => locals[name]) : value);
  const t = tf.resource.aws_dynamodb_table.connections[0];
  const gsi = t.global_secondary_index[0];
  const problems = [];
  const expect = (what, actual, expected) => {
    if (actual !== expected) problems.push(`${what}: Terraform has ${JSON.stringify(actual)}, the registry ${JSON.stringify(expected)}`);
  };
  expect("hash key", t.hash_key, java.pk);
  expect("range key", t.range_key, java.sk);
  expect("attributes", JSON.stringify(t.attribute.map((a) => [a.name, a.type]).sort()), JSON.stringify([[java.pk, "S"], [java.sk, "S"]].sort()));
  expect("index name", resolve(gsi.name), java.index);
  expect("index hash key", gsi.hash_key, java.indexKeys ? java.sk : "(registry changed its index keys)");
  expect("index range key", gsi.range_key, java.indexKeys ? java.pk : "(registry changed its index keys)");
  expect("index projection", gsi.projection_type, java.projectionAll ? "ALL" : "(registry changed its projection)");
  expect("TTL attribute", t.ttl[0].attribute_name, java.ttl);
  expect("TTL enabled", t.ttl[0].enabled, true);
  problems.push(...environment(root));
  return problems;
}

// The environment Terraform gives each service must be names that service reads (each key of gateway.yaml and
// pusher.yaml names its variable in a comment), AWS_REGION aside, and must include what the service cannot start
// without.
function environment(root) {
  const ecs = readFileSync(join(root, "terraform/ecs.tf"), "utf8");
  const problems = [];
  const services = {
    gateway: { yaml: "app/src/main/resources/gateway.yaml", start: "gateway_environment = merge(", end: "pusher_environment = {", required: ["AUTH_JWKS_URI", "CONNECTIONS_TABLE"] },
    pusher: { yaml: "pusher/src/main/resources/pusher.yaml", start: "pusher_environment = {", end: "\n  }\n", required: ["NOTIFICATIONS_QUEUE_URL", "CONNECTIONS_TABLE"] },
  };
  for (const [service, { yaml, start, end, required }] of Object.entries(services)) {
    const reads = new Set([...readFileSync(join(root, yaml), "utf8").matchAll(/#\s*([A-Z][A-Z0-9_]+)\b/g)].map((m) => m[1]));
    const from = ecs.indexOf(start);
    const section = ecs.slice(from, ecs.indexOf(end, from + start.length));
    const sets = [...section.matchAll(/^\s+([A-Z][A-Z0-9_]+)\s+=/gm)].map((m) => m[1]);
    sets.push(...[...section.matchAll(/\{\s*([A-Z][A-Z0-9_]+)\s*=/g)].map((m) => m[1]));
    for (const name of new Set(sets)) {
      if (name !== "AWS_REGION" && !reads.has(name)) problems.push(`terraform/ecs.tf sets ${name} for the ${service}, which ${yaml} does not read`);
    }
    for (const name of required) {
      if (!sets.includes(name)) problems.push(`terraform/ecs.tf does not set ${name}, without which the ${service} does not start`);
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = await checkConsistency(process.argv[2] ?? "../..");
  for (const p of problems) console.error(`terraform vs the code: ${p}`);
  if (problems.length === 0) console.log("terraform's table matches the registry's; its environments, what the services read");
  process.exit(problems.length > 0 ? 1 : 0);
}
