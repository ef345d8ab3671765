// Proves each check of check.mjs: every fixture under fixtures/ is a broken module whose expect.txt names the
// problem the checks must report; the module itself must pass. Exit 1 when a check misses its fixture.
import { readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { checkModule } from "./check.mjs";

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
process.exit(failed ? 1 : 0);
