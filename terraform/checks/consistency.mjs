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

// The environment Terraform gives each service and function must be names that it reads (each key of a service's
// defaults files names its variable first in its comment, which the services' settings tests enforce), AWS_REGION
// and the JVM's JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS aside, and must include what it cannot start without. An
// environment is a local whose map may merge other locals; they are followed.
const SOURCES = ["terraform/main.tf", "terraform/ecs.tf", "terraform/serverless.tf"];
const PLATFORM = new Set(["AWS_REGION", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"]);
export const DEFAULTS_FILES = {
  gateway: "app/src/main/resources/gateway.yaml",
  auth: "settings/src/main/resources/auth.yaml",
  pusher: "pusher/src/main/resources/pusher.yaml",
  serverless: "app-lambda/src/main/resources/serverless.yaml",
  authorizer: "authorizer-lambda/src/main/resources/authorizer.yaml",
};

function environment(root) {
  const tf = SOURCES.map((file) => readFileSync(join(root, file), "utf8")).join("\n");
  const yamlNames = (...files) => new Set(files.flatMap((yaml) => [...readFileSync(join(root, DEFAULTS_FILES[yaml]), "utf8").matchAll(/#\s*([A-Z][A-Z0-9_]+)\b/g)].map((m) => m[1])));
  const services = {
    "gateway (ecs)": { local: "gateway_environment", reads: yamlNames("gateway", "auth"), source: "gateway.yaml and auth.yaml", required: ["AUTH_JWKS_URI", "CONNECTIONS_TABLE"] },
    "pusher (ecs)": { local: "pusher_environment", reads: yamlNames("pusher"), source: "pusher.yaml", required: ["NOTIFICATIONS_QUEUE_URL", "CONNECTIONS_TABLE"] },
    "gateway (serverless)": { local: "gateway_function_environment", reads: yamlNames("serverless", "gateway"), source: "serverless.yaml and gateway.yaml", required: ["CONNECTIONS_TABLE", "APIGW_ENDPOINT"] },
    "pusher (serverless)": { local: "pusher_function_environment", reads: yamlNames("pusher"), source: "pusher.yaml", required: ["CONNECTIONS_TABLE", "APIGW_ENDPOINT"] },
    "authorizer (serverless)": { local: "authorizer_environment", reads: yamlNames("authorizer", "auth"), source: "authorizer.yaml and auth.yaml", required: ["AUTH_JWKS_URI"] },
  };
  const problems = [];
  for (const [service, { local, reads, source, required }] of Object.entries(services)) {
    const sets = names(tf, local, new Set());
    if (sets === null) {
      problems.push(`terraform/ has no local ${local} (the ${service}'s environment)`);
      continue;
    }
    for (const name of sets) {
      if (!PLATFORM.has(name) && !reads.has(name)) problems.push(`terraform/ sets ${name} for the ${service}, which ${source} does not read`);
    }
    for (const name of required) {
      if (!sets.has(name)) problems.push(`terraform/ does not set ${name}, without which the ${service} does not start`);
    }
  }
  return problems;
}

// The variable names a local's value sets: its own KEY = entries, and those of every local it refers to.
function names(tf, local, seen) {
  const at = tf.search(new RegExp(`^\\s+${local}\\s+=\\s`, "m"));
  if (at < 0) return null;
  seen.add(local);
  const text = tf.slice(at);
  const open = text.search(/[({]/);
  let depth = 0;
  let end = open;
  for (; end < text.length; end++) {
    if ("({[".includes(text[end])) depth++;
    else if (")}]".includes(text[end]) && --depth === 0) break;
  }
  const body = text.slice(open, end + 1);
  const found = new Set([...body.matchAll(/(?:^|[{,]|\n)\s*([A-Z][A-Z0-9_]+)\s+=/g)].map((m) => m[1]));
  for (const [, other] of body.matchAll(/local\.(\w+)/g)) {
    if (seen.has(other)) continue;
    const more = names(tf, other, seen);
    if (more !== null && /environment|options|rules/.test(other)) for (const name of more) found.add(name);
  }
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = await checkConsistency(process.argv[2] ?? "../..");
  for (const p of problems) console.error(`terraform vs the code: ${p}`);
  if (problems.length === 0) console.log("terraform's table matches the registry's; its environments, what the services read");
  process.exit(problems.length > 0 ? 1 : 0);
}
