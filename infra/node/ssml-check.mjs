// Checks SSML documents with ssml-check-core, the community's checker for Alexa's SSML, as
// installed into .cache/node by infra/node-tools.sh. The Go tests run it through
// internal/ssml/ssmltest.CheckAmazon, one process for a whole batch.
//
//   node infra/node/ssml-check.mjs [--locale en-US] DOCS.json
//
// DOCS.json holds a JSON array of SSML strings. It prints a JSON array with one
// {"index": i, "errors": [...]} per document, in order (errors is empty for a clean one),
// and exits 1 if any document has errors, 2 if it could not check at all.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const tools = path.join(here, '..', '..', '.cache', 'node');

function fail(message) {
  console.error(`ssml-check: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const locale = args[0] === '--locale' ? args[1] : undefined;
const file = locale === undefined ? args[0] : args[2];
if (args.length !== (locale === undefined ? 1 : 3) || file.startsWith('-')) {
  fail('usage: node infra/node/ssml-check.mjs [--locale LOCALE] DOCS.json');
}

let ssmlCheck;
try {
  // Resolved from .cache/node, not from this folder, which holds no node_modules.
  ssmlCheck = createRequire(path.join(tools, 'package.json'))('ssml-check-core');
} catch (err) {
  fail(`ssml-check-core is not installed in ${tools}: run ./infra/node-tools.sh (${err.code ?? err.message})`);
}

let docs;
try {
  docs = JSON.parse(await readFile(file, 'utf8'));
} catch (err) {
  fail(`read ${file}: ${err.message}`);
}
if (!Array.isArray(docs) || !docs.every((d) => typeof d === 'string')) {
  fail(`${file} is not a JSON array of strings`);
}

const results = [];
for (const [index, ssml] of docs.entries()) {
  const errors = await ssmlCheck.check(ssml, { platform: 'amazon', locale });
  results.push({ index, errors: errors ?? [] });
}
console.log(JSON.stringify(results));
// exitCode, not exit(): exit() can cut off stdout written to a pipe past 64 KB.
process.exitCode = results.some((r) => r.errors.length > 0) ? 1 : 0;
