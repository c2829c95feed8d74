// Type-checks a skill package against Amazon's published Skill Management API types (npm
// ask-smapi-model, installed into .cache/node by infra/node-tools.sh) with the TypeScript
// compiler. The Go test infra/skillpackage_test.go runs it.
//
//   node infra/node/check-skill-package.mjs [DIR]      DIR defaults to skill-package
//
// It checks DIR/skill.json as a v1.skill.Manifest.SkillManifestEnvelope and every
// DIR/interactionModels/custom/<locale>.json as a v1.skill.interactionModel.InteractionModelData.
// Each file's JSON is compiled as the TypeScript expression `(<json>) satisfies <type>`, not
// imported as a JSON module: an imported JSON file widens "ALEXA_PRESENTATION_APL" to string
// and is never checked for unknown properties, while an object literal under `satisfies` is
// checked field by field, misspelt and unknown fields included.
//
// It prints one line per problem, FILE:LINE:COLUMN: message, with the JSON file's own line
// numbers, and exits 1 if there are any; 2 if it could not check at all; 0, printing what it
// checked, when every file fits.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const tools = path.join(here, '..', '..', '.cache', 'node');

function fail(message) {
  console.error(`check-skill-package: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length > 1 || args[0]?.startsWith('-')) {
  fail('usage: node infra/node/check-skill-package.mjs [SKILL_PACKAGE_DIR]');
}
const dir = path.resolve(args[0] ?? path.join(here, '..', '..', 'skill-package'));

let ts;
try {
  // Resolved from .cache/node, not from this folder, which holds no node_modules.
  const require = createRequire(path.join(tools, 'package.json'));
  ts = require('typescript');
  require.resolve('ask-smapi-model');
} catch (err) {
  fail(`typescript or ask-smapi-model is not installed in ${tools}: run ./infra/node-tools.sh (${err.code ?? err.message})`);
}

// The types each file must satisfy: ask-smapi-model's, widened in two places where Amazon
// documents what the package's types lack, and nowhere else.
// - ask-smapi-model 1.24.0 names CAN_FULFILL_INTENT_REQUEST in v1.skill.Manifest.InterfaceType,
//   and Amazon's manifest reference declares it as {"type": "CAN_FULFILL_INTENT_REQUEST"}, but
//   the v1.skill.Manifest.Interface union has no member for it.
// - The name-free interaction toolkit ("Use the Name-free Interaction Toolkit in SMAPI") puts a
//   _nameFreeInteraction container in the interaction model: ingress points of type LAUNCH (no
//   name) or INTENT (with the intent's name), each with format RAW_TEXT and one value. The
//   package has no type for it.
const preamble = `import type { v1 } from 'ask-smapi-model';
type CanFulfillIntentRequestInterface = { type: 'CAN_FULFILL_INTENT_REQUEST' };
type CustomApis = Omit<v1.skill.Manifest.CustomApis, 'interfaces'> & {
  interfaces?: Array<v1.skill.Manifest.Interface | CanFulfillIntentRequestInterface>;
};
type SkillManifestApis = Omit<v1.skill.Manifest.SkillManifestApis, 'custom'> & { custom?: CustomApis };
type SkillManifest = Omit<v1.skill.Manifest.SkillManifest, 'apis'> & { apis?: SkillManifestApis };
export type SkillManifestEnvelope = { manifest: SkillManifest };
type IngressPoint =
  | { type: 'LAUNCH'; format: 'RAW_TEXT'; value: string }
  | { type: 'INTENT'; name: string; format: 'RAW_TEXT'; value: string };
type InteractionModelSchema = v1.skill.interactionModel.InteractionModelSchema & {
  _nameFreeInteraction?: { ingressPoints: Array<IngressPoint> };
};
export type InteractionModelData = Omit<v1.skill.interactionModel.InteractionModelData, 'interactionModel'> & {
  interactionModel: InteractionModelSchema;
};
`;

const files = [{ json: path.join(dir, 'skill.json'), type: 'SkillManifestEnvelope' }];
const modelDir = path.join(dir, 'interactionModels', 'custom');
let models;
try {
  models = (await readdir(modelDir)).filter((f) => f.endsWith('.json')).sort();
} catch (err) {
  fail(`read ${modelDir}: ${err.message}`);
}
if (models.length === 0) {
  fail(`no interaction models in ${modelDir}`);
}
for (const m of models) {
  files.push({ json: path.join(modelDir, m), type: 'InteractionModelData' });
}

// Virtual sources live beside .cache/node/node_modules, so 'ask-smapi-model' resolves there.
const virtualDir = path.join(tools, 'check-skill-package');
const sources = new Map([[path.join(virtualDir, 'types.ts'), preamble]]);
const header = `import type { ${[...new Set(files.map((f) => f.type))].join(', ')} } from './types';\nexport default (\n`;
const headerLines = header.split('\n').length - 1;
const byVirtual = new Map();
for (const [i, f] of files.entries()) {
  let text;
  try {
    text = await readFile(f.json, 'utf8');
    JSON.parse(text);
  } catch (err) {
    console.log(`${path.relative(process.cwd(), f.json)}:1:1: ${err.message}`);
    process.exitCode = 1;
    continue;
  }
  const name = path.join(virtualDir, `file${i}.ts`);
  sources.set(name, `${header}${text}\n) satisfies ${f.type};\n`);
  byVirtual.set(name, { path: f.json, lines: text.split('\n') });
}

const options = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  types: [],
  skipLibCheck: true,
};
const host = ts.createCompilerHost(options);
const { fileExists, readFile: hostRead, getSourceFile, directoryExists } = host;
host.directoryExists = (d) => path.resolve(d) === virtualDir || (directoryExists?.call(host, d) ?? true);
host.fileExists = (f) => sources.has(path.resolve(f)) || fileExists.call(host, f);
host.readFile = (f) => sources.get(path.resolve(f)) ?? hostRead.call(host, f);
host.getSourceFile = (f, lang, ...rest) => {
  const text = sources.get(path.resolve(f));
  return text !== undefined ? ts.createSourceFile(f, text, lang) : getSourceFile.call(host, f, lang, ...rest);
};
const program = ts.createProgram([...byVirtual.keys()], options, host);

let problems = 0;
for (const d of ts.getPreEmitDiagnostics(program)) {
  problems++;
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
  if (!d.file) {
    console.log(`check-skill-package: ${message}`);
    continue;
  }
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
  const json = byVirtual.get(path.resolve(d.file.fileName));
  if (json === undefined) {
    console.log(`${d.file.fileName}:${line + 1}:${character + 1}: ${message}`);
  } else {
    // The JSON file's own line, and its text, which names the field when the message does not.
    const jsonLine = Math.max(line - headerLines, 0);
    const text = (json.lines[jsonLine] ?? '').trim();
    console.log(`${path.relative(process.cwd(), json.path)}:${jsonLine + 1}:${character + 1}: ${message}\n  at: ${text}`);
  }
}
if (problems > 0 || process.exitCode === 1) {
  process.exit(1);
}
console.log(`checked ${files.map((f) => path.relative(process.cwd(), f.json)).join(', ')} against ask-smapi-model`);
