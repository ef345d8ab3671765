// Proves each check of check.mjs: every fixture under fixtures/ is a broken module whose expect.txt names the
// problem the checks must report; the module itself must pass. Exit 1 when a check misses its fixture.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { checkModule } from "./check.mjs";
import { checkConsistency, DEFAULTS_FILES } from "./consistency.mjs";

const here = dirname(fileURLToPath(import.meta.url));
let failed = false;
for (const name of readdirSync(join(here, "fixtures")).sort()) {
  const dir = join(here, "fixtures", name);
  const expected = readFileSync(join(dir, "expect.txt"), "utf8").trim();
  const problems = await checkModule(dir);
  if (problems.some((p) => p.includes(expected))) {
    console.log(`fixture ${name}: caught (${expected})`);
  } else {
    failed = true;
    console.error(`fixture ${name}: expected a problem containing "${expected}", got: ${JSON.stringify(problems)}`);
  }
}
// The consistency check, on a copy of the repository's relevant files with one thing broken at a time.
const root = join(here, "..", "..");
for (const [name, file, from, to, expected] of [
  ["table keys", "terraform/dynamodb.tf", 'range_key        = "sk"', 'range_key        = "id"', "range key"],
  ["index", "terraform/dynamodb.tf", 'projection_type = "ALL"', 'projection_type = "KEYS_ONLY"', "index projection"],
  ["ttl", "terraform/dynamodb.tf", 'attribute_name = "ttl"', 'attribute_name = "expires"', "TTL attribute"],
  ["environment", "terraform/ecs.tf", "PRESENCE_TARGET ", "PRESENCE_TARGT  ", "sets PRESENCE_TARGT for the gateway"],
  ["required environment", "terraform/ecs.tf", "NOTIFICATIONS_QUEUE_URL =", "NOTIFICATIONS_QUEUE    =", "does not set NOTIFICATIONS_QUEUE_URL"],
  ["function environment", "terraform/serverless.tf", "    APIGW_ENDPOINT    = local.apigw_endpoint", "    APIGW_URL         = local.apigw_endpoint", "does not set APIGW_ENDPOINT, without which the pusher (serverless)"],
  ["authorizer environment", "terraform/serverless.tf", "{ AUTH_CONTEXT_CLAIMS =", "{ AUTH_CLAIMS =", "sets AUTH_CLAIMS for the authorizer (serverless)"],
]) {
  const copy = mkdtempSync(join(tmpdir(), "consistency-"));
  for (const part of ["terraform/dynamodb.tf", "terraform/main.tf", "terraform/ecs.tf", "terraform/serverless.tf", "registry/src/main/java/dev/switchboard/registry", ...Object.values(DEFAULTS_FILES)]) {
    cpSync(join(root, part), join(copy, part), { recursive: true });
  }
  const source = readFileSync(join(copy, file), "utf8");
  writeFileSync(join(copy, file), source.replace(from, to));
  const problems = await checkConsistency(copy);
  rmSync(copy, { recursive: true });
  if (source.includes(from) && problems.some((p) => p.includes(expected))) {
    console.log(`consistency ${name}: caught (${expected})`);
  } else {
    failed = true;
    console.error(`consistency ${name}: expected a problem containing "${expected}", got: ${JSON.stringify(problems)}`);
  }
}
process.exit(failed ? 1 : 0);
