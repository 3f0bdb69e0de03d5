#!/usr/bin/env node
// The TextMate grammar of editors/vscode on every contract of the repository, tokenized
// by vscode-textmate with the Oniguruma engine VS Code uses (vscode-oniguruma), both
// installed into editors/vscode/node_modules by scripts/install-editors.sh:
//   - every character that is not a blank is in a token with a scope of its own (not
//     only `source.sla`);
//   - no token of a contract `slac check` accepts is `invalid`;
//   - known snippets get the scopes they should;
//   - the package's manifest names files that exist.
//
//   node editors/vscode/test/grammar.test.mjs SLAC_BINARY SOURCE_DIR
//
// Exit 0 when every check passes, 1 when any fails, 77 when the npm packages are not
// installed (1 under CI, where they must be).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [SLAC, SOURCE_DIR] = process.argv.slice(2);
if (!SLAC || !SOURCE_DIR) {
  console.error('usage: node grammar.test.mjs SLAC_BINARY SOURCE_DIR');
  process.exit(2);
}
const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(pkgDir, 'package.json'));
let vsctm, oniguruma;
try {
  vsctm = require('vscode-textmate');
  oniguruma = require('vscode-oniguruma');
} catch {
  const msg = 'grammar.test: vscode-textmate and vscode-oniguruma are not installed in editors/vscode/node_modules; run scripts/install-editors.sh';
  if (process.env.CI) {
    console.error(msg);
    process.exit(1);
  }
  console.error(`SKIPPED: ${msg}`);
  process.exit(77);
}

const failures = [];
const check = (ok, what) => {
  if (!ok) {
    failures.push(what);
    console.error(`FAIL: ${what}`);
  }
};

const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const grammarPath = path.join(pkgDir, 'syntaxes', 'sla.tmLanguage.json');
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async (scope) =>
    scope === 'source.sla' ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
});
const grammar = await registry.loadGrammar('source.sla');
check(grammar !== null, 'the grammar loads');

// Each line's tokens: [{text, scopes}].
function tokenize(text) {
  let stack = vsctm.INITIAL;
  const lines = [];
  for (const line of text.split(/\r?\n/)) {
    const r = grammar.tokenizeLine(line, stack);
    lines.push(r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })));
    stack = r.ruleStack;
  }
  return lines;
}

// ------------------------------------------------------------ known snippets
const scopeOf = (text, word) => {
  for (const line of tokenize(text)) {
    for (const t of line) if (t.text === word) return t.scopes.at(-1);
  }
  return undefined;
};
const snippet = [
  'contract "Acme" # the header',
  '  timezone "Europe/London"',
  'signal status : enum { ok, fault }',
  'param target = 99.5%',
  'calendar office = mon-fri 08:00-18:00',
  'state up = seen heartbeat within 1h30m and status == ok',
  'sla uptime {',
  '  in any calendar month, on any site,',
  '  at least 1 up for at least target of office',
  '}',
  'test "march" {',
  '  at 2026-03-01T10:00:00Z D1 status fault',
  '}',
].join('\n');
const want = {
  contract: 'storage.type.sla', '"Acme"': undefined, status: 'variable.other.property.sla',
  enum: 'support.type.sla', '99.5%': 'constant.numeric.percentage.sla', '08:00': 'constant.numeric.time.sla',
  mon: 'support.constant.weekday.sla', '1h30m': 'constant.numeric.duration.sla', and: 'keyword.operator.logical.sla',
  '==': 'keyword.operator.comparison.sla', uptime: 'entity.name.type.sla', office: 'entity.name.function.sla',
  target: 'variable.other.constant.sla', month: 'keyword.other.sla', up: 'entity.name.function.sla',
  '2026-03-01T10:00:00Z': 'constant.numeric.date.sla', heartbeat: 'variable.other.sla',
  '# the header': 'comment.line.number-sign.sla',
};
for (const [word, scope] of Object.entries(want)) {
  if (scope) check(scopeOf(snippet, word) === scope, `\`${word}\` is ${scope}, got ${scopeOf(snippet, word)}`);
}
check(tokenize('contract "Acme"')[0].some((t) => t.text === 'Acme' && t.scopes.includes('string.quoted.double.sla')),
      'a string is string.quoted.double');
check(tokenize('state x = a ; b')[0].some((t) => t.text === ';' && t.scopes.at(-1) === 'invalid.illegal.sla'),
      'a stray character is invalid');

// ------------------------------------------------------------ every contract
const contracts = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!e.name.startsWith('build') && e.name !== '.git' && e.name !== 'node_modules') walk(path.join(dir, e.name));
    } else if (e.name.endsWith('.sla')) {
      contracts.push(path.join(dir, e.name));
    }
  }
})(path.resolve(SOURCE_DIR));
contracts.sort();
check(contracts.length > 50, `the repository's contracts are found (${contracts.length})`);

const checked = spawnSync(SLAC, ['check', '--format', 'json', ...contracts], { encoding: 'utf8', maxBuffer: 1 << 26 });
const valid = new Set();
for (const f of JSON.parse(checked.stdout).files) if (f.ok) valid.add(f.file);
check(valid.size > 50, `slac check accepts most contracts (${valid.size})`);

let tokens = 0;
for (const file of contracts) {
  const lines = tokenize(fs.readFileSync(file, 'utf8'));
  const rel = path.relative(SOURCE_DIR, file);
  let unclassified = 0, invalid = 0;
  lines.forEach((line, n) => {
    for (const t of line) {
      ++tokens;
      if (/^\s*$/.test(t.text)) continue;
      if (t.scopes.length < 2 && unclassified++ < 3) check(false, `${rel}:${n + 1}: \`${t.text}\` has no scope but source.sla`);
      if (valid.has(file) && t.scopes.some((s) => s.startsWith('invalid')) && invalid++ < 3) {
        check(false, `${rel}:${n + 1}: \`${t.text}\` is ${t.scopes.at(-1)} in a valid contract`);
      }
    }
  });
}

// ------------------------------------------------------------ the package
const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
check(fs.existsSync(path.join(pkgDir, manifest.main)), `the client ${manifest.main} exists`);
for (const g of manifest.contributes.grammars) check(fs.existsSync(path.join(pkgDir, g.path)), `${g.path} exists`);
for (const l of manifest.contributes.languages) {
  check(fs.existsSync(path.join(pkgDir, l.configuration)), `${l.configuration} exists`);
  JSON.parse(fs.readFileSync(path.join(pkgDir, l.configuration), 'utf8'));
}
const syntax = spawnSync(process.execPath, ['--check', path.join(pkgDir, manifest.main)], { encoding: 'utf8' });
check(syntax.status === 0, `the client parses: ${syntax.stderr}`);

if (failures.length > 0) {
  console.error(`grammar.test: ${failures.length} failure(s)`);
  process.exit(1);
}
console.log(`grammar.test: ${contracts.length} contracts, ${tokens} tokens, every check passed`);
