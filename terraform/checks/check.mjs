// Offline checks of a Terraform module (no terraform binary needed): each .tf file parses (HashiCorp's HCL parser,
// @cdktn/hcl2json), is formatted as `terraform fmt` would (hclwrite's Format, @cdktn/hcl-tools), refers only to
// declared variables, locals, resources and data sources, declares no variable it never uses, and uses only resource
// types, arguments and blocks the AWS provider's schema has (schema/, derived from the provider's own schema),
// with every required argument and block present.
// Usage: node check.mjs <module directory>...   Exit 1 with one line per problem.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { parse, getReferencesInExpression } from "@cdktn/hcl2json";
import { format } from "@cdktn/hcl-tools";

const SCHEMA = JSON.parse(
  gunzipSync(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "schema", "aws-provider-schema.json.gz"))),
);
const META_ARGUMENTS = new Set(["count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"]);

// Roots that are not declarations of the module: Terraform's own objects and meta-arguments.
const BUILT_IN = new Set(["each", "count", "self", "path", "terraform", "module"]);

export async function checkModule(dir) {
  const problems = [];
  const files = readdirSync(dir).filter((f) => f.endsWith(".tf")).sort();
  if (files.length === 0) {
    return [`${dir}: no .tf files`];
  }
  const declared = { variable: new Set(), local: new Set(), resource: new Set(), data: new Set() };
  const expressions = [];
  const dynamicBlocks = new Set();
  for (const file of files) {
    const path = join(dir, file);
    const source = readFileSync(path, "utf8");
    let json;
    try {
      json = await parse(file, source);
    } catch (e) {
      problems.push(`${path}: syntax: ${e.message}`);
      continue;
    }
    const formatted = await format(source);
    if (formatted !== source) {
      problems.push(`${path}: not formatted as terraform fmt would (first difference at line ${firstDifference(source, formatted)})`);
    }
    for (const name of Object.keys(json.variable ?? {})) declared.variable.add(name);
    for (const block of json.locals ?? []) for (const name of Object.keys(block)) declared.local.add(name);
    for (const [type, byName] of Object.entries(json.resource ?? {})) for (const name of Object.keys(byName)) declared.resource.add(`${type}.${name}`);
    for (const [type, byName] of Object.entries(json.data ?? {})) for (const name of Object.keys(byName)) declared.data.add(`${type}.${name}`);
    collect(json, file, expressions, dynamicBlocks);
    for (const kind of ["resource", "data"]) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        for (const [name, bodies] of Object.entries(byName)) {
          const where = `${path}: ${kind === "data" ? "data." : ""}${type}.${name}`;
          const schema = SCHEMA[kind][type];
          if (!type.startsWith("aws_")) continue; // other providers: not in our schema
          if (!schema) {
            problems.push(`${where}: unknown ${kind === "data" ? "data source" : "resource"} type "${type}" (AWS provider ${SCHEMA.version})`);
            continue;
          }
          for (const body of bodies) checkBody(body, schema, where, problems, true);
        }
      }
    }
  }
  const used = new Set();
  for (const { file, expression } of expressions) {
    let references;
    try {
      references = await getReferencesInExpression(file, expression);
    } catch (e) {
      problems.push(`${join(dir, file)}: expression ${expression}: ${e.message}`);
      continue;
    }
    for (const { value } of references) {
      const parts = value.split(".");
      const [root] = parts;
      if (BUILT_IN.has(root) || dynamicBlocks.has(root)) continue;
      if (root === "var" || root === "local") {
        const kind = root === "var" ? "variable" : "local";
        used.add(`${kind}.${parts[1]}`);
        if (!declared[kind].has(parts[1])) problems.push(`${join(dir, file)}: ${value}: undeclared ${kind} "${parts[1]}"`);
      } else if (root === "data") {
        if (!declared.data.has(`${parts[1]}.${parts[2]}`)) problems.push(`${join(dir, file)}: ${value}: undeclared data source "${parts[1]}.${parts[2]}"`);
      } else if (root.includes("_")) {
        // A resource type always has its provider's prefix (aws_…); names without one are for-expression symbols.
        if (!declared.resource.has(`${root}.${parts[1]}`)) problems.push(`${join(dir, file)}: ${value}: undeclared resource "${root}.${parts[1]}"`);
      }
    }
  }
  for (const name of declared.variable) {
    if (!used.has(`variable.${name}`)) problems.push(`${dir}: variable "${name}" is declared but never used`);
  }
  for (const file of files) problems.push(...(await checkModuleCalls(dir, file)));
  if (existsSync(join(dir, "README.md"))) problems.push(...(await checkReadme(dir, files)));
  return problems;
}

const MODULE_META = new Set(["source", "version", "providers", "count", "for_each", "depends_on"]);

// Each call of a local module (source "./…" or "../…") against that module's variables: every argument is one of
// them, every variable without a default is given, and a literal (or a variable of the caller's whose type is
// declared) fits the variable's type.
async function checkModuleCalls(dir, file) {
  const problems = [];
  let json;
  try {
    json = await parse(file, readFileSync(join(dir, file), "utf8"));
  } catch {
    return problems; // reported by checkModule
  }
  const callerTypes = {};
  for (const [name, [v]] of Object.entries(json.variable ?? {})) callerTypes[name] = typeOf(v.type);
  for (const [name, calls] of Object.entries(json.module ?? {})) {
    for (const call of calls) {
      const source = call.source;
      if (typeof source !== "string" || !/^\.\.?\//.test(source)) continue;
      const where = `${join(dir, file)}: module.${name}`;
      const target = join(dir, source);
      const variables = {};
      for (const f of existsSync(target) ? readdirSync(target).filter((x) => x.endsWith(".tf")) : []) {
        try {
          const module = await parse(f, readFileSync(join(target, f), "utf8"));
          for (const [v, [body]] of Object.entries(module.variable ?? {})) variables[v] = body;
        } catch {
          problems.push(`${where}: ${join(target, f)} does not parse`);
        }
      }
      if (Object.keys(variables).length === 0) {
        problems.push(`${where}: no variables found in its source ${source}`);
        continue;
      }
      for (const [argument, value] of Object.entries(call)) {
        if (MODULE_META.has(argument)) continue;
        const variable = variables[argument];
        if (!variable) {
          problems.push(`${where}: argument "${argument}" is not a variable of ${source}`);
          continue;
        }
        const expected = typeOf(variable.type);
        const given = literalType(value) ?? callerTypes[String(value).match(/^\$\{var\.(\w+)\}$/)?.[1]];
        if (given && !fits(given, expected)) problems.push(`${where}: argument "${argument}" is ${given}, the variable's type is ${expected}`);
      }
      for (const [v, body] of Object.entries(variables)) {
        if (!("default" in body) && !(v in call)) problems.push(`${where}: missing required variable "${v}" of ${source}`);
      }
    }
  }
  return problems;
}

function typeOf(type) {
  return String(type ?? "any").replace(/^\$\{(.*)\}$/s, "$1").replace(/\s+/g, "");
}

// A literal's type as Terraform would see it; undefined for an expression (its type is not known here).
function literalType(value) {
  if (typeof value === "string") return value.includes("${") ? undefined : "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "list";
  if (value && typeof value === "object") return "object";
  return undefined;
}

// Whether a value of type `given` converts to `expected`, as Terraform's conversions allow (numbers and bools
// become strings; a list is no string, a string no list).
function fits(given, expected) {
  const kind = (t) => (/^(list|set|tuple)/.test(t) ? "list" : /^(map|object)/.test(t) ? "object" : t);
  const [g, e] = [kind(given), kind(expected)];
  if (e === "any" || g === "any") return true;
  if (g !== e) return e === "string" && (g === "number" || g === "bool");
  // The same kind: a literal collection's elements are not looked into; two declared types must agree.
  if (given === "list" || given === "object" || !["list", "object"].includes(g)) return true;
  return given.replace(/^set/, "list") === expected.replace(/^set/, "list");
}

// The README's input and output tables (between <!-- inputs:begin/end --> and <!-- outputs:begin/end -->) must
// be exactly what the variables and outputs say, in terraform-docs' markdown table form (its rows, anchors and
// columns, sorted by name). WRITE_README=1 node check.mjs <dir> rewrites them.
async function checkReadme(dir, files) {
  const inputs = [];
  const outputs = [];
  const anchor = (kind, name) => `<a name="${kind}_${name}"></a> [${name}](#${kind}\\_${name.replaceAll("_", "\\_")})`;
  const cell = (text) => String(text ?? "").replaceAll("|", "\\|");
  for (const file of files) {
    let json;
    try {
      json = await parse(file, readFileSync(join(dir, file), "utf8"));
    } catch {
      continue; // reported above
    }
    for (const [name, [v]] of Object.entries(json.variable ?? {})) {
      const type = String(v.type ?? "any").replace(/^\$\{(.*)\}$/s, "$1");
      const value = "default" in v ? `\`${JSON.stringify(v.default).replace(/^\$\{(.*)\}$/s, "$1")}\`` : "n/a";
      inputs.push([name, `| ${anchor("input", name)} | ${cell(v.description)} | \`${type}\` | ${value} | ${"default" in v ? "no" : "yes"} |`]);
    }
    for (const [name, [o]] of Object.entries(json.output ?? {})) outputs.push([name, `| ${anchor("output", name)} | ${cell(o.description)} |`]);
  }
  const sorted = (rows) => rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  const readme = readFileSync(join(dir, "README.md"), "utf8");
  const problems = [];
  for (const [section, header, rows] of [
    ["inputs", "| Name | Description | Type | Default | Required |\n|------|-------------|------|---------|:--------:|", sorted(inputs)],
    ["outputs", "| Name | Description |\n|------|-------------|", sorted(outputs)],
  ]) {
    const match = readme.match(new RegExp(`<!-- ${section}:begin -->\\n([\\s\\S]*?)<!-- ${section}:end -->`));
    const expected = `${header}\n${rows.join("\n")}\n`;
    if (!match) problems.push(`${dir}/README.md: no <!-- ${section}:begin --> … <!-- ${section}:end --> table`);
    else if (match[1] !== expected && process.env.WRITE_README === "1") {
      writeFileSync(join(dir, "README.md"), readFileSync(join(dir, "README.md"), "utf8").replace(match[1], expected));
    } else if (match[1] !== expected) problems.push(`${dir}/README.md: the ${section} table is out of sync with the code; it should read:\n${expected}`);
  }
  return problems;
}

// One block's body against its schema: no unknown (or read-only) argument or block, every required one present.
function checkBody(body, schema, where, problems, top) {
  for (const [key, value] of Object.entries(body)) {
    if (top && META_ARGUMENTS.has(key)) continue;
    if (key === "dynamic") {
      for (const [label, dynamics] of Object.entries(value)) {
        const block = schema.blocks[label];
        if (!block) {
          problems.push(`${where}: dynamic "${label}": no such block`);
          continue;
        }
        for (const dynamic of dynamics) for (const content of dynamic.content ?? []) checkBody(content, block, `${where}.${label}`, problems, false);
      }
      continue;
    }
    if (key in schema.args) continue;
    const block = schema.blocks[key];
    if (!block) {
      problems.push(`${where}: unknown or read-only argument or block "${key}"`);
      continue;
    }
    for (const nested of Array.isArray(value) ? value : [value]) {
      if (nested && typeof nested === "object") checkBody(nested, block, `${where}.${key}`, problems, false);
    }
  }
  for (const [arg, required] of Object.entries(schema.args)) {
    if (required && !(arg in body)) problems.push(`${where}: missing required argument "${arg}"`);
  }
  for (const [name, block] of Object.entries(schema.blocks)) {
    if (block.required && !(name in body) && !(name in (body.dynamic ?? {}))) problems.push(`${where}: missing required block "${name}"`);
  }
}

// Every string holding an expression ("${…}"), with the file it came from; dynamic block labels are iterators.
function collect(node, file, out, dynamicBlocks) {
  if (typeof node === "string") {
    if (node.includes("${")) out.push({ file, expression: node });
  } else if (Array.isArray(node)) {
    for (const item of node) collect(item, file, out, dynamicBlocks);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "ignore_changes") continue; // names attributes, it refers to nothing (preconditions do refer)
      if (key === "dynamic" && value && typeof value === "object") for (const label of Object.keys(value)) dynamicBlocks.add(label);
      collect(value, file, out, dynamicBlocks);
    }
  }
}

function firstDifference(a, b) {
  const x = a.split("\n");
  const y = b.split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return i + 1;
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = false;
  for (const dir of process.argv.slice(2)) {
    const problems = await checkModule(dir);
    for (const p of problems) console.error(p);
    if (problems.length > 0) failed = true;
    else console.log(`${dir}: syntax, fmt, references, variables and the AWS provider ${SCHEMA.version} schema OK`);
  }
  process.exit(failed ? 1 : 0);
}
