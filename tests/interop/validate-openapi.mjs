// Validates an OpenAPI document against the official OpenAPI JSON Schema of its version, 3.0 or
// 3.1 (as bundled by @seriousme/openapi-schema-validator), and checks that every local $ref
// resolves.
// Usage: node validate-openapi.mjs <document.json>   Exit code 0 when valid.
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate-openapi.mjs <document.json>");
  process.exit(2);
}

const document = JSON.parse(readFileSync(file, "utf8"));
const validator = new Validator();
const result = await validator.validate(document);
const problems = [];
if (!result.valid) {
  problems.push(...result.errors.map((e) => `schema: ${JSON.stringify(e)}`));
}
if (validator.version !== "3.0" && validator.version !== "3.1") {
  problems.push(`expected an OpenAPI 3.0 or 3.1 document, got version ${validator.version}`);
}

function resolve(pointer) {
  return pointer
    .slice(2)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((node, key) => (node === undefined ? undefined : node[key]), document);
}

(function walk(node, path) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, `${path}/${i}`));
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        if (!value.startsWith("#/") || resolve(value) === undefined) {
          problems.push(`unresolved $ref ${value} at ${path}`);
        }
      } else {
        walk(value, `${path}/${key}`);
      }
    }
  }
})(document, "#");

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`valid OpenAPI ${validator.version} document`);
