// Checks APL documents and directives with apl-suggester, Amazon's validator for APL (its
// StaticAplTemplateValidator), as installed into .cache/node by infra/node-tools.sh. The Go
// tests run it through internal/screen/screentest.CheckAPL, one process for a whole batch.
//
//   node infra/node/apl-check.mjs ITEMS.json
//
// ITEMS.json holds a JSON array whose items are APL documents ({"type": "APL", ...}),
// Alexa.Presentation.APL.RenderDocument directives or Alexa.Presentation.APL.ExecuteCommands
// directives. It prints a JSON array with one {"index": i, "errors": [...]} per item, in
// order (errors is empty for a clean one), and exits 1 if any item has errors, 2 if it could
// not check at all.
//
// StaticAplTemplateValidator checks a document's JSON schema, its components, its vector
// graphics and the commands of its document-level handlers (onMount). What it leaves out,
// this script adds, using the same package's schemas where it has them:
//   - a component or layout type it cannot find (the validator reports that only to its
//     ErrorController, which this script listens to);
//   - the commands of component handlers such as a TouchWrapper's onPress, and the commands
//     of an ExecuteCommands directive: each list is checked as a document's onMount;
//   - a command type that is neither one of APL's standard commands nor defined in the
//     document's own "commands";
//   - the directive envelope: its type, its token, and no properties it does not have.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const tools = path.join(here, '..', '..', '.cache', 'node');

function fail(message) {
  console.error(`apl-check: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length !== 1 || args[0].startsWith('-')) {
  fail('usage: node infra/node/apl-check.mjs ITEMS.json');
}

let suggester, commandSchemas;
try {
  // Resolved from .cache/node, not from this folder, which holds no node_modules.
  const require = createRequire(path.join(tools, 'package.json'));
  suggester = require('apl-suggester');
  // Not exported from the package's index; the map of standard command types to schemas.
  commandSchemas = require('apl-suggester/dist/src/CommandSchemaValidator').CommandSchemaValidator;
} catch (err) {
  fail(`apl-suggester is not installed in ${tools}: run ./infra/node-tools.sh (${err.code ?? err.message})`);
}
const standardCommands = new Set(commandSchemas.COMMAND_TYPE_TO_JSON_SCHEMA.keys());

let items;
try {
  items = JSON.parse(await readFile(args[0], 'utf8'));
} catch (err) {
  fail(`read ${args[0]}: ${err.message}`);
}
if (!Array.isArray(items)) {
  fail(`${args[0]} is not a JSON array`);
}

// The validator prints notes of its own ("No mixin for component"); stdout carries only the
// results.
console.log = (...a) => console.error(...a);
const print = (s) => process.stdout.write(s + '\n');

const structural = []; // what the validator tells its ErrorController, per document
const controller = suggester.ErrorController.getInstance();
controller.registerErrors();
controller.setErrorInterface({ sendError: (e) => structural.push({ code: e.code, ...e.placeholders }) });
const validator = new suggester.StaticAplTemplateValidator();

const RENDER = 'Alexa.Presentation.APL.RenderDocument';
const EXECUTE = 'Alexa.Presentation.APL.ExecuteCommands';
const RENDER_KEYS = new Set(['type', 'token', 'document', 'datasources', 'sources', 'packages']);
const EXECUTE_KEYS = new Set(['type', 'token', 'commands']);
// Component properties that hold commands. The document's own onMount, onConfigChange and
// onDisplayStateChange are the validator's.
const HANDLERS = new Set([
  'onPress', 'onDown', 'onMove', 'onUp', 'onCancel', 'onMount', 'onCursorEnter', 'onCursorExit',
  'onFocus', 'onBlur', 'onScroll', 'onPageChanged', 'onChildrenChanged', 'onLayout',
  'onSpeechMark', 'onLoad', 'onFail', 'onSubmit', 'onTextChange', 'onPlay', 'onPause', 'onEnd',
  'onTrackUpdate', 'onTrackReady', 'onTrackFail', 'onTimeUpdate',
]);
const DOCUMENT_HANDLERS = ['onMount', 'onConfigChange', 'onDisplayStateChange'];
// Where a command holds more commands.
const NESTED = ['commands', 'catch', 'finally', 'otherwise', 'onFail'];

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const asList = (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function describe(e) {
  switch (e.code) {
    case '-1150':
      return `no component or layout of type ${JSON.stringify(e.name)}`;
    case '-1052':
      return 'a component without a type';
    case '-1051':
      return 'a component with both item and items';
    default:
      return `apl-suggester error ${e.code}`;
  }
}

async function validate(doc, at) {
  structural.length = 0;
  controller.clearExistingWarn();
  const found = await validator.validate(structuredClone(doc));
  // validate checks graphics and commands only when the whole document passes its JSON
  // schema, and that schema wants a literal boolean where APL takes a data-bound one (a
  // resource block's "when": "${viewport.shape == 'round'}"): the validator then drops that
  // complaint and, with it, those two checks. They run here regardless.
  const seen = new Set(found.map((e) => `${e.path} ${e.errorMessage}`));
  for (const e of [...validator.validateGraphics(structuredClone(doc)), ...validator.validateCommands(structuredClone(doc))]) {
    if (!seen.has(`${e.path} ${e.errorMessage}`)) found.push(e);
  }
  const errors = found.map((e) => ({ path: at + (e.path === '/' ? '' : e.path), message: e.errorMessage }));
  for (const e of structural) {
    errors.push({ path: at + (e.path ?? ''), message: describe(e) });
  }
  return errors;
}

// Checks a list of commands as the onMount of a document like doc (its version and its
// user-defined commands), reporting paths under at.
async function validateCommands(commands, doc, at) {
  const wrapper = {
    type: 'APL',
    version: doc.version ?? '2024.2',
    mainTemplate: { item: { type: 'Container' } },
    onMount: commands,
  };
  if (doc.commands !== undefined) wrapper.commands = doc.commands;
  const errors = (await validate(wrapper, '')).map((e) =>
    e.path.startsWith('/onMount') ? { ...e, path: at + e.path.slice('/onMount'.length) } : e,
  );
  return errors.concat(commandTypes(commands, doc, at));
}

function commandTypes(commands, doc, at) {
  const defined = isObject(doc.commands) ? new Set(Object.keys(doc.commands)) : new Set();
  const errors = [];
  const walk = (list, p) => {
    asList(list).forEach((c, i) => {
      const cp = Array.isArray(list) ? `${p}/${i}` : p;
      if (!isObject(c)) {
        errors.push({ path: cp, message: 'a command must be an object' });
        return;
      }
      const t = c.type;
      const known = typeof t === 'string' && (standardCommands.has(t) || defined.has(t) || t.includes(':') || t.includes('${'));
      if (!known) {
        errors.push({ path: `${cp}/type`, message: `no command of type ${JSON.stringify(t)}` });
      }
      if (t === 'ControlMedia') return; // its "command" is an operation, not a command
      for (const k of NESTED) {
        if (c[k] !== undefined) walk(c[k], `${cp}/${k}`);
      }
    });
  };
  walk(commands, at);
  return errors;
}

// The command lists of component handlers anywhere in the document, with their paths.
function handlers(node, p, out, top) {
  if (Array.isArray(node)) {
    node.forEach((v, i) => handlers(v, `${p}/${i}`, out, false));
  } else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (top && (DOCUMENT_HANDLERS.includes(k) || k === 'commands')) continue;
      if (HANDLERS.has(k)) out.push({ commands: v, path: `${p}/${k}` });
      else handlers(v, `${p}/${k}`, out, false);
    }
  }
  return out;
}

async function checkDocument(doc, at) {
  if (!isObject(doc) || doc.type !== 'APL') {
    return [{ path: at || '/', message: 'not an APL document: its type must be "APL"' }];
  }
  let errors = await validate(doc, at);
  for (const k of DOCUMENT_HANDLERS) {
    if (doc[k] !== undefined) errors = errors.concat(commandTypes(doc[k], doc, `${at}/${k}`));
  }
  if (isObject(doc.commands)) {
    for (const [name, def] of Object.entries(doc.commands)) {
      if (isObject(def) && def.commands !== undefined) {
        errors = errors.concat(commandTypes(def.commands, doc, `${at}/commands/${name}/commands`));
      }
    }
  }
  for (const h of handlers(doc, at, [], true)) {
    errors = errors.concat(await validateCommands(h.commands, doc, h.path));
  }
  return errors;
}

function envelope(item, keys) {
  const errors = [];
  for (const k of Object.keys(item)) {
    if (!keys.has(k)) errors.push({ path: `/${k}`, message: `${item.type} has no property ${JSON.stringify(k)}` });
  }
  if (typeof item.token !== 'string' || item.token === '') {
    errors.push({ path: '/token', message: `${item.type} needs a token, a non-empty string` });
  }
  return errors;
}

async function check(item) {
  if (!isObject(item)) {
    return [{ path: '/', message: 'not an object' }];
  }
  switch (item.type) {
    case 'APL':
      return checkDocument(item, '');
    case RENDER: {
      let errors = envelope(item, RENDER_KEYS);
      errors = errors.concat(await checkDocument(item.document, '/document'));
      if (item.datasources !== undefined) {
        if (!isObject(item.datasources)) {
          errors.push({ path: '/datasources', message: 'datasources must be an object' });
        } else {
          const found = await validator.validateDataSources(item.datasources);
          errors = errors.concat(found.map((e) => ({ path: `/datasources/${e.path.replace(/^Data\./, '')}`, message: e.errorMessage })));
        }
      }
      return errors;
    }
    case EXECUTE: {
      const errors = envelope(item, EXECUTE_KEYS);
      if (!Array.isArray(item.commands) || item.commands.length === 0) {
        return errors.concat([{ path: '/commands', message: 'ExecuteCommands needs a non-empty array of commands' }]);
      }
      return errors.concat(await validateCommands(item.commands, {}, '/commands'));
    }
    default:
      return [{ path: '/type', message: `not an APL document or directive: type ${JSON.stringify(item.type)}` }];
  }
}

const results = [];
for (const [index, item] of items.entries()) {
  let errors;
  try {
    errors = await check(item);
  } catch (err) {
    fail(`item ${index}: the validator failed: ${err.stack ?? err}`);
  }
  results.push({ index, errors });
}
print(JSON.stringify(results));
// exitCode, not exit(): exit() can cut off stdout written to a pipe past 64 KB.
process.exitCode = results.some((r) => r.errors.length > 0) ? 1 : 0;
