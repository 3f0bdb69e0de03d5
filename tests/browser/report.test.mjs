#!/usr/bin/env node
// Real-browser test of `slac report`: the HTML file it writes, opened from disk in
// headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; both
// installed by scripts/install-browser.sh), with JavaScript on and off. Nothing is
// mocked: every figure in the page is checked against `slac eval --format json` (and
// `slac status --format json` for `--as-of`) run on the same inputs.
//
//   node tests/browser/report.test.mjs SLAC_BINARY SOURCE_DIR WORK_DIR [SLAC_GEN]
//
// SLAC_GEN (default: slac-gen beside SLAC_BINARY) makes an estate of 120 sites, so
// that a heat map has more rows than a page.
//
// Exit code 0 when every check passes, 1 when any fails (all failures are listed),
// 77 when the browser or playwright-core is not installed (CTest SKIP_RETURN_CODE).
// SLAC_UPDATE_SCREENSHOT=1 rewrites docs/report-layout.json and docs/report.png from
// the bundled example's report instead of comparing the layout against them.
// SLAC_CHROMIUM overrides the browser's path (default /usr/bin/chromium).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const started = Date.now();
const [SLAC, SOURCE_DIR, WORK_DIR, SLAC_GEN] = process.argv.slice(2);
if (!SLAC || !SOURCE_DIR || !WORK_DIR) {
  console.error('usage: node report.test.mjs SLAC_BINARY SOURCE_DIR WORK_DIR [SLAC_GEN]');
  process.exit(2);
}
const slac = path.resolve(SLAC);
const src = path.resolve(SOURCE_DIR);
const work = path.resolve(WORK_DIR);
const slacGen = path.resolve(SLAC_GEN ?? path.join(path.dirname(slac), 'slac-gen'));
const CHROMIUM = process.env.SLAC_CHROMIUM || '/usr/bin/chromium';
const UPDATE = process.env.SLAC_UPDATE_SCREENSHOT === '1';
const LAYOUT_FILE = path.join(src, 'docs/report-layout.json');
const SCREENSHOT_FILE = path.join(src, 'docs/report.png');
const LAYOUT_TOLERANCE_PX = 24;
const AS_OF = '2026-03-20T12:00:00Z'; // inside examples/ev-estate (2026-01-31 .. 2026-05-01)
const SEED = '7';
// The report's limits (report/report.hpp): charts drawn for at most this many
// group-windows per SLA, and small charts for at most this many groups of a KPI; the
// tables list every one.
const MAX_DETAILS_PER_SLA = 40;
const MAX_KPI_CHARTS = 48;

let chromium;
try {
  ({ chromium } = createRequire(import.meta.url)('playwright-core'));
} catch {
  console.error('report.test: playwright-core is not installed in tests/browser/node_modules; run scripts/install-browser.sh');
  process.exit(77);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`report.test: ${CHROMIUM} is missing; run scripts/install-browser.sh`);
  process.exit(77);
}

// ---------------------------------------------------------------- failures

const failures = [];
let checks = 0;
let where = '';
function fail(msg) { failures.push(`${where}: ${msg}`); }
function check(cond, msg) { checks++; if (!cond) fail(typeof msg === 'function' ? msg() : msg); return !!cond; }
function eq(what, expected, got) {
  return check(Object.is(expected, got) || JSON.stringify(expected) === JSON.stringify(got),
    () => `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
}
// Two lists as sets: names what is missing and what is extra (the first ten of each).
function setEq(what, expected, got) {
  const e = new Set(expected), g = new Set(got);
  const missing = [...e].filter((x) => !g.has(x)), extra = [...g].filter((x) => !e.has(x));
  const dup = got.length - g.size;
  return check(!missing.length && !extra.length && !dup, () => `${what}: ` +
    (missing.length ? `missing ${missing.length} ${JSON.stringify(missing.slice(0, 10))} ` : '') +
    (extra.length ? `extra ${extra.length} ${JSON.stringify(extra.slice(0, 10))} ` : '') +
    (dup ? `${dup} duplicates ` : '') + `(expected ${e.size}, got ${got.length})`);
}
function fatal(msg) {
  console.error(`report.test: ${msg}`);
  process.exit(1);
}

// An attribute holding a JSON number (or boolean, or absent for null), against the
// value eval's JSON has. Numbers compare with Number() equality, exact for doubles
// printed in shortest round-trip form; the text must be a plain JSON number.
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
function attrEq(what, expected, got) {
  checks++;
  if (expected === null || expected === undefined) {
    if (got !== undefined) fail(`${what}: expected the attribute absent (null), got ${JSON.stringify(got)}`);
  } else if (typeof expected === 'boolean') {
    if (got !== String(expected)) fail(`${what}: expected "${expected}", got ${JSON.stringify(got)}`);
  } else if (typeof expected === 'number') {
    if (got === undefined || !NUMBER.test(got) || Number(got) !== expected)
      fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
  } else if (got !== String(expected)) {
    fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
  }
}

// ---------------------------------------------------------------- running slac

function run(args, { json = false } = {}) {
  const r = spawnSync(slac, args, { cwd: src, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) fatal(`cannot run ${slac}: ${r.error.message}`);
  if (r.status !== 0) fatal(`slac ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  if (!json) return r;
  try { return JSON.parse(r.stdout); } catch (e) { fatal(`slac ${args.join(' ')}: not JSON: ${e.message}`); }
}

// ---------------------------------------------------------------- the cases

fs.mkdirSync(work, { recursive: true });

// A tiny contract with KPIs (a time measure and an event measure), an SLA with a
// fractional penalty, a customer and a name needing HTML escapes; its data has a
// device that starts reporting on the second day.
const tinyDir = path.join(work, 'tiny');
fs.mkdirSync(path.join(tinyDir, 'data'), { recursive: true });
fs.writeFileSync(path.join(tinyDir, 'tiny.sla'), `contract "Tiny <KPI> & co"
  customer "Test & <Co> \\"quoted\\""
  timezone "UTC"
  currency EUR

signal status : enum { ok, fault }
signal attempt : enum { success, failure }

state up = status == ok

kpi uptime {
  in any calendar day, on any device,
  up
}

kpi attempts {
  in any calendar day, on any site,
  attempt == success of attempt events
}

sla per_day {
  in any calendar day, on any device,
  up for at least 90%
  penalty 1234.25
  warn below 95%
}
`);
fs.writeFileSync(path.join(tinyDir, 'data/sites.csv'), 'site\nS1\nS2\n');
fs.writeFileSync(path.join(tinyDir, 'data/devices.csv'), 'device,site\nD1,S1\nD2,S1\nD3,S2\n');
{
  const ev = [['2026-03-01T00:00:00Z', 'D1', 'status', 'ok'], ['2026-03-01T00:00:00Z', 'D2', 'status', 'ok'],
    ['2026-03-01T10:00:00Z', 'D1', 'attempt', 'success'], ['2026-03-01T11:00:00Z', 'D2', 'attempt', 'failure'],
    ['2026-03-02T00:00:00Z', 'D3', 'status', 'ok'], ['2026-03-02T06:00:00Z', 'D1', 'status', 'fault'],
    ['2026-03-02T09:00:00Z', 'D1', 'status', 'ok'], ['2026-03-02T12:00:00Z', 'D3', 'attempt', 'success'],
    ['2026-03-03T01:00:00Z', 'D2', 'status', 'fault'], ['2026-03-03T02:30:00Z', 'D2', 'status', 'ok'],
    ['2026-03-03T23:00:00Z', 'D1', 'attempt', 'success']];
  fs.writeFileSync(path.join(tinyDir, 'data/events.csv'), 'time,entity,signal,value\n' + ev.map((r) => r.join(',')).join('\n') + '\n');
}

// 120 sites, March 2026: a heat map of more rows than a page holds.
const manyDir = path.join(work, 'many-sites');
{
  const r = spawnSync(slacGen, ['--sites', '120', '--devices-per-site', '1', '--days', '31', '--start', '2026-03-01',
    '--heartbeat-minutes', '60', '--seed', '5', '--fault-days', '5', '--whole-seconds', '--out', manyDir], { encoding: 'utf8' });
  if (r.error || r.status !== 0) fatal(`cannot run ${slacGen}: ${r.error?.message ?? r.stderr}`);
}

const cases = [
  { name: 'acme', contract: 'examples/acme-retail.sla', data: 'examples/ev-estate', opts: [], layout: true, deterministic: true },
  { name: 'acme-as-of', contract: 'examples/acme-retail.sla', data: 'examples/ev-estate', opts: ['--as-of', AS_OF, '--seed', SEED], deterministic: true },
  { name: 'acme-options', contract: 'examples/acme-retail.sla', data: 'examples/ev-estate',
    opts: ['--sla', 'availability', '--set', 'target=95%', '--from', '2026-02-01', '--to', '2026-04-01'] },
  // The specification's seed contract on hourly heartbeats: every site breaches.
  { name: 'seed', contract: 'examples/ev-charging.sla', data: 'examples/ev-estate', opts: [] },
  { name: 'tiny-kpi', contract: path.join(tinyDir, 'tiny.sla'), data: path.join(tinyDir, 'data'), opts: [] },
  { name: 'many-sites', contract: 'examples/acme-retail.sla', data: manyDir, opts: ['--sla', 'availability'], paginated: true },
];

// ---------------------------------------------------------------- reading the DOM

// Runs in the page (also with JavaScript disabled: playwright evaluates through the
// DevTools protocol). Returns everything the checks need as plain data.
function extractDom() {
  const attrs = (el) => (el ? Object.fromEntries([...el.attributes].map((a) => [a.name, a.value])) : null);
  const qa = (root, sel) => [...root.querySelectorAll(sel)];
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const shown = (el) => el.getClientRects().length > 0;
  const table = (t) => t && {
    attrs: attrs(t),
    head: qa(t, ':scope > thead > tr > th').map((th) => ({ attrs: attrs(th), text: text(th) })),
    rows: qa(t, ':scope > tbody > tr').map((tr) => ({
      attrs: attrs(tr), cls: tr.className, shown: shown(tr),
      th: text(tr.querySelector(':scope > th')),
      cells: qa(tr, ':scope > td').map((td) => ({ attrs: attrs(td), cls: td.className, text: text(td) })),
    })),
    foot: qa(t, ':scope > tfoot > tr').map((tr) => ({ attrs: attrs(tr), cls: tr.className, text: text(tr) })),
  };
  const figures = (root, sel) => qa(root, sel).map((f) => ({
    attrs: attrs(f), svg: !!f.querySelector('svg'), caption: text(f.querySelector('figcaption')),
  }));
  const status = document.querySelector('section#status');
  return {
    lang: document.documentElement.getAttribute('lang'),
    scriptSrc: qa(document, 'script[src]').map((s) => s.getAttribute('src')),
    summary: !!document.querySelector('header#summary'),
    h1: text(document.querySelector('header#summary h1')),
    customer: text(document.querySelector('header#summary p.customer')),
    period: attrs(document.querySelector('header#summary #period')),
    periodText: text(document.querySelector('#period')),
    coverage: attrs(document.querySelector('header#summary dl#coverage')),
    totalPenalty: attrs(document.querySelector('header#summary #total-penalty')),
    totalPenaltyText: text(document.querySelector('#total-penalty')),
    sections: qa(document, 'section.sla').map((s) => ({
      attrs: attrs(s),
      h2: text(s.querySelector('h2')),
      asWritten: s.querySelector('.terms pre.as-written')?.textContent ?? null,
      inWords: text(s.querySelector('.terms .in-words')),
      verdictStrip: qa(s, 'svg.verdict-strip').length,
      verdicts: qa(s, 'table.verdicts').map(table),
      heatmaps: qa(s, 'table.heatmap').map(table),
      breaches: qa(s, 'table.breaches').map(table),
      timelines: figures(s, 'figure.timeline'),
      burndowns: figures(s, 'figure.burndown'),
      smallMultiples: qa(s, 'div.small-multiples').length,
      kpiCharts: figures(s, 'div.small-multiples figure.kpi-chart'),
    })),
    status: status && { attrs: attrs(status), tables: qa(status, 'table.status').map(table) },
  };
}

// ---------------------------------------------------------------- checking the DOM

// The text of `sla NAME { ... }` or `kpi NAME { ... }` in a contract, from the keyword
// to its closing brace (braces counted; texts in quotes skipped).
function sourceBlock(source, name) {
  const m = new RegExp(`^[ \\t]*((?:sla|kpi)[ \\t]+${name}\\b[^{]*\\{)`, 'm').exec(source);
  if (!m) return null;
  let depth = 0;
  for (let i = m.index + m[0].length - m[1].length; i < source.length; i++) {
    const ch = source[i];
    if (ch === '"') { for (i++; i < source.length && source[i] !== '"'; i++) if (source[i] === '\\') i++; continue; }
    if (ch === '#' ) { while (i < source.length && source[i] !== '\n') i++; continue; }
    if (ch === '{') depth++;
    if (ch === '}' && --depth === 0) return source.slice(m.index + m[0].length - m[1].length, i + 1).trim();
  }
  return null;
}

const CURRENCY_SYMBOL = { GBP: '£', EUR: '€', USD: '$' };

// Every number a section of the report shows, against eval's JSON.
function checkDom(dom, c, ev, st, { js }) {
  eq('html lang', 'en', dom.lang);
  eq('script elements with a src (must be inline)', [], dom.scriptSrc);
  check(dom.summary, 'header#summary is missing');
  eq('header#summary h1', ev.contract, dom.h1);
  const customer = /^\s*customer\s+"((?:[^"\\]|\\.)*)"/m.exec(fs.readFileSync(path.resolve(src, c.contract), 'utf8'));
  // The customer's name (the report may put a label before it: "Customer: ...").
  if (customer) {
    const name = customer[1].replace(/\\(.)/g, '$1');
    check(dom.customer?.includes(name), `p.customer: expected it to show ${JSON.stringify(name)}, got ${JSON.stringify(dom.customer)}`);
  }
  check(dom.period, '#period is missing');
  attrEq('#period data-from', ev.from, dom.period?.['data-from']);
  attrEq('#period data-to', ev.to, dom.period?.['data-to']);
  check(dom.periodText, '#period has no text');
  check(dom.coverage, 'dl#coverage is missing');
  attrEq('#coverage data-events', ev.data.events, dom.coverage?.['data-events']);
  attrEq('#coverage data-skipped-rows', ev.data.skipped_rows, dom.coverage?.['data-skipped-rows']);
  attrEq('#coverage data-unknown-entities', ev.data.unknown_entities, dom.coverage?.['data-unknown-entities']);
  attrEq('#coverage data-undeclared-signals', ev.data.undeclared_signals, dom.coverage?.['data-undeclared-signals']);
  attrEq('#coverage data-first-event', ev.coverage.first_event, dom.coverage?.['data-first-event']);
  attrEq('#coverage data-last-event', ev.coverage.last_event, dom.coverage?.['data-last-event']);
  check(dom.totalPenalty, '#total-penalty is missing');
  attrEq('#total-penalty data-amount', ev.totals.penalty, dom.totalPenalty?.['data-amount']);
  {
    const t = (dom.totalPenaltyText ?? '').replace(/[\u00a0\u202f]/g, ' ');
    const amounts = [...t.matchAll(/(?<![\d,.])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?![\d,])/g)].map((m) => Number(m[0].replace(/,/g, '')));
    check(amounts.includes(ev.totals.penalty),
      `#total-penalty text ${JSON.stringify(t)} does not show ${ev.totals.penalty} grouped with commas`);
    if (ev.currency) {
      check(t.includes(ev.currency) || t.includes(CURRENCY_SYMBOL[ev.currency] ?? ev.currency),
        `#total-penalty text ${JSON.stringify(t)} names no currency (${ev.currency})`);
    }
  }

  // Sections: one per SLA/KPI that has rows, or that judged nothing (a warning says so).
  const names = [];
  for (const r of ev.results) if (!names.includes(r.sla)) names.push(r.sla);
  const quiet = ev.warnings.filter((w) => w.sla && w.code === 'no_complete_window').map((w) => w.sla);
  const domNames = dom.sections.map((s) => s.attrs['data-sla']);
  eq('section.sla data-sla, in order (those with results)', names, domNames.filter((n) => names.includes(n)));
  setEq('section.sla data-sla', [...names, ...quiet], domNames);
  const source = fs.readFileSync(path.resolve(src, c.contract), 'utf8').replace(/\r\n/g, '\n');

  for (const s of dom.sections) {
    const name = s.attrs['data-sla'];
    const outer = where;
    where = `${outer} section#sla-${name}`;
    const rows = ev.results.filter((r) => r.sla === name);
    const kind = rows[0]?.kind ?? (source.match(new RegExp(`^\\s*(sla|kpi)\\s+${name}\\b`, 'm'))?.[1]);
    eq('id', `sla-${name}`, s.attrs.id);
    eq('data-kind', kind, s.attrs['data-kind']);
    check(s.h2, 'h2 is missing or empty');
    check(s.asWritten && s.asWritten.trim().length > 0, '.terms pre.as-written is missing or empty');
    if (s.asWritten) {
      const w = s.asWritten.replace(/\r\n/g, '\n').trim();
      const block = sourceBlock(source, name);
      check(block !== null, `the contract has no block \`sla ${name} {\` or \`kpi ${name} {\``);
      if (block !== null) check(w === block, () => `pre.as-written is not the contract's text of ${name}: expected ${JSON.stringify(block.slice(0, 120))}..., got ${JSON.stringify(w.slice(0, 120))}`);
    }
    check(s.inWords, '.terms .in-words is missing or empty');

    // verdicts
    const verdicts = ev.verdicts.filter((v) => v.sla === name);
    if (kind === 'sla') {
      eq('table.verdicts count', 1, s.verdicts.length);
      check(s.verdictStrip >= 1, 'svg.verdict-strip is missing');
      const trs = s.verdicts[0]?.rows ?? [];
      eq('table.verdicts rows', verdicts.length, trs.length);
      for (const v of verdicts) {
        const tr = trs.find((t) => t.attrs['data-window-start'] === v.window.start);
        if (!check(tr, `table.verdicts has no row data-window-start=${v.window.start}`)) continue;
        const at = `table.verdicts tr[data-window-start=${v.window.start}]`;
        attrEq(`${at} data-window-end`, v.window.end, tr.attrs['data-window-end']);
        attrEq(`${at} data-met`, v.met, tr.attrs['data-met']);
        attrEq(`${at} data-groups`, v.groups, tr.attrs['data-groups']);
        attrEq(`${at} data-groups-met`, v.groups_met, tr.attrs['data-groups-met']);
        attrEq(`${at} data-penalty`, v.penalty, tr.attrs['data-penalty']);
      }
      for (const tr of trs) check(verdicts.some((v) => v.window.start === tr.attrs['data-window-start']),
        `table.verdicts has a row no verdict has: data-window-start=${tr.attrs['data-window-start']}`);
    } else {
      eq('table.verdicts in a KPI section', 0, s.verdicts.length);
    }

    // heat map
    if (rows.length) {
      eq('table.heatmap count', 1, s.heatmaps.length);
      const hm = s.heatmaps[0];
      if (hm) {
        const windows = [...new Set(rows.map((r) => r.window.start))].sort();
        const groups = [...new Set(rows.map((r) => r.group))];
        eq('heatmap th[data-sort=group] count', 1, hm.head.filter((h) => h.attrs['data-sort'] === 'group').length);
        const wth = hm.head.filter((h) => h.attrs['data-sort'] === 'window');
        eq('heatmap th[data-sort=window] data-window-start', windows, wth.map((h) => h.attrs['data-window-start']));
        for (const h of wth) check(h.text, `heatmap th[data-window-start=${h.attrs['data-window-start']}] has no label`);
        setEq('heatmap tbody tr data-group', groups, hm.rows.map((r) => r.attrs['data-group']));
        const byKey = new Map(rows.map((r) => [`${r.group}|${r.window.start}`, r]));
        let cellsWithData = 0;
        for (const tr of hm.rows) {
          const g = tr.attrs['data-group'];
          eq(`heatmap tr[data-group=${g}] th`, g, tr.th);
          // A cell per window column, in the columns' order (an empty cell, class "none",
          // may leave out data-window-start).
          eq(`heatmap tr[data-group=${g}] td count`, windows.length, tr.cells.length);
          tr.cells.forEach((td, i) => {
            const w = windows[i];
            const at = `heatmap tr[data-group=${g}] td[data-window-start=${w}]`;
            if ('data-window-start' in td.attrs) attrEq(`${at} data-window-start`, w, td.attrs['data-window-start']);
            const r = byKey.get(`${g}|${w}`);
            if (!r) {
              check(td.cls.split(/\s+/).includes('none'), `${at}: the group has no result in this window, but the td lacks class "none"`);
              check(!('data-attainment' in td.attrs), `${at}: the group has no result in this window, but the td has data-attainment`);
              return;
            }
            cellsWithData++;
            attrEq(`${at} data-attainment`, r.attainment, td.attrs['data-attainment']);
            attrEq(`${at} data-measured-s`, r.measured_s, td.attrs['data-measured-s']);
            attrEq(`${at} data-good-s`, r.good_s, td.attrs['data-good-s']);
            attrEq(`${at} data-outages`, r.outages, td.attrs['data-outages']);
            attrEq(`${at} data-longest-outage-s`, r.longest_outage_s, td.attrs['data-longest-outage-s']);
            if ('measured_events' in r) {
              attrEq(`${at} data-measured-events`, r.measured_events, td.attrs['data-measured-events']);
              attrEq(`${at} data-good-events`, r.good_events, td.attrs['data-good-events']);
            }
            if ('rounded_attainment' in r) attrEq(`${at} data-rounded-attainment`, r.rounded_attainment, td.attrs['data-rounded-attainment']);
            if (r.kind === 'sla') {
              attrEq(`${at} data-met`, r.met, td.attrs['data-met']);
              attrEq(`${at} data-near-miss`, r.near_miss, td.attrs['data-near-miss']);
              attrEq(`${at} data-penalty`, r.penalty, td.attrs['data-penalty']);
            } else {
              for (const a of ['data-met', 'data-near-miss', 'data-penalty'])
                check(!(a in td.attrs), `${at}: a KPI cell has ${a}=${JSON.stringify(td.attrs[a])}`);
            }
            if (r.attainment !== null) {
              // The visible percentage: the attainment rounded to the digits shown.
              const m = /(-?\d+(?:\.(\d+))?)\s*%/.exec(td.text ?? '');
              if (check(m, `${at}: text ${JSON.stringify(td.text)} shows no percentage`)) {
                const tol = 0.5 * 10 ** -(m[2]?.length ?? 0) + 1e-9;
                check(Math.abs(Number(m[1]) - r.attainment * 100) <= tol,
                  `${at}: text ${JSON.stringify(td.text)} is not ${r.attainment * 100}% rounded to ${m[2]?.length ?? 0} decimals`);
              }
            }
          });
        }
        eq('heatmap cells with a result (count)', rows.length, cellsWithData);
      }
    }

    // breaches and near misses, with their charts
    const bad = rows.filter((r) => r.kind === 'sla' && (r.met === false || r.near_miss === true));
    if (bad.length === 0) {
      eq('table.breaches count (no breach or near miss)', 0, s.breaches.length);
    } else {
      eq('table.breaches count', 1, s.breaches.length);
      const bt = s.breaches[0];
      if (bt) {
        eq('table.breaches rows', bad.length, bt.rows.length);
        for (const r of bad) {
          const tr = bt.rows.find((t) => t.attrs['data-group'] === r.group && t.attrs['data-window-start'] === r.window.start);
          const at = `table.breaches tr[data-group=${r.group}][data-window-start=${r.window.start}]`;
          if (!check(tr, `${at} is missing (met=${r.met}, near_miss=${r.near_miss})`)) continue;
          attrEq(`${at} data-attainment`, r.attainment, tr.attrs['data-attainment']);
          attrEq(`${at} data-penalty`, r.penalty, tr.attrs['data-penalty']);
          eq(`${at} has class near-miss`, r.met !== false && r.near_miss === true, tr.cls.split(/\s+/).includes('near-miss'));
        }
        for (const tr of bt.rows) check(bad.some((r) => r.group === tr.attrs['data-group'] && r.window.start === tr.attrs['data-window-start']),
          `table.breaches has a row that is no breach or near miss: ${JSON.stringify(tr.attrs)}`);
        const total = bt.foot.filter((f) => f.cls.split(/\s+/).includes('total'));
        eq('table.breaches tfoot tr.total count', 1, total.length);
        // The SLA's penalty: its verdicts' (after any cap), which is the sum of the
        // breached rows' penalties when each group pays its own and nothing is capped.
        const sum = verdicts.reduce((a, v) => a + v.penalty, 0);
        if (total[0]) attrEq('table.breaches tfoot tr.total data-penalty (the verdicts\' sum)', sum, total[0].attrs['data-penalty']);
      }
    }
    // Timelines and burn-downs: for time measures, the first MAX_DETAILS_PER_SLA
    // breaches and near misses, breaches first, each in eval's row order.
    const timed = bad.filter((r) => r.measured_s !== null && r.measured_s !== undefined && !('measured_events' in r));
    const drawn = [...timed.filter((r) => r.met === false), ...timed.filter((r) => r.met !== false)].slice(0, MAX_DETAILS_PER_SLA);
    const keys = drawn.map((r) => `${r.group}|${r.window.start}`).sort();
    for (const [label, figs] of [['figure.timeline', s.timelines], ['figure.burndown', s.burndowns]]) {
      setEq(`${label} (data-group|data-window-start)`, keys, figs.map((f) => `${f.attrs['data-group']}|${f.attrs['data-window-start']}`));
      for (const f of figs) {
        check(f.svg, `${label}[data-group=${f.attrs['data-group']}][data-window-start=${f.attrs['data-window-start']}] has no svg`);
        check(f.caption, `${label}[data-group=${f.attrs['data-group']}][data-window-start=${f.attrs['data-window-start']}] has no figcaption`);
      }
    }

    // KPI small multiples
    if (kind === 'kpi') {
      eq('div.small-multiples count', 1, s.smallMultiples);
      // The first MAX_KPI_CHARTS groups in id order.
      setEq('figure.kpi-chart data-group', [...new Set(rows.map((r) => r.group))].sort().slice(0, MAX_KPI_CHARTS),
        s.kpiCharts.map((f) => f.attrs['data-group']));
      for (const f of s.kpiCharts) check(f.svg, `figure.kpi-chart[data-group=${f.attrs['data-group']}] has no svg`);
    }
    where = outer;
  }

  // status (only with --as-of)
  if (!st) {
    eq('section#status (no --as-of)', null, dom.status);
  } else if (check(dom.status, 'section#status is missing (--as-of given)')) {
    attrEq('section#status data-as-of', st.as_of, dom.status.attrs['data-as-of']);
    eq('table.status count', 1, dom.status.tables.length);
    const trs = dom.status.tables[0]?.rows ?? [];
    eq('table.status rows', st.groups.length, trs.length);
    for (const g of st.groups) {
      const at = `table.status tr[data-sla=${g.sla}][data-window-start=${g.window.start}][data-group=${g.group}]`;
      const tr = trs.find((t) => t.attrs['data-sla'] === g.sla && t.attrs['data-window-start'] === g.window.start && t.attrs['data-group'] === g.group);
      if (!check(tr, `${at} is missing`)) continue;
      attrEq(`${at} data-state`, g.state, tr.attrs['data-state']);
      attrEq(`${at} data-p-meet`, g.p_meet, tr.attrs['data-p-meet']);
      attrEq(`${at} data-breach-at`, g.breach_at, tr.attrs['data-breach-at']);
    }
  }

  // Readable without JavaScript: nothing of the tables is hidden.
  if (!js) {
    for (const s of dom.sections) for (const t of [...s.heatmaps, ...s.breaches, ...s.verdicts]) {
      const hidden = t.rows.filter((r) => !r.shown).length;
      check(hidden === 0, `section#sla-${s.attrs['data-sla']} table.${t.attrs.class}: ${hidden} of ${t.rows.length} rows are hidden with JavaScript disabled`);
    }
  }
}

// ---------------------------------------------------------------- the browser

async function openPage(browser, url, { js, viewport = { width: 1280, height: 900 } }) {
  const context = await browser.newContext({ javaScriptEnabled: js, viewport });
  const requests = [];
  const errors = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    requests.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (r.url() !== url && !r.url().startsWith('data:') && !requests.includes(r.url())) requests.push(r.url()); });
  page.on('websocket', (w) => requests.push(w.url()));
  await page.goto(url, { waitUntil: 'load' });
  return { context, page, requests, errors };
}

function finishPage(p) {
  eq('requests other than the document', [], p.requests);
  eq('console errors and page errors', [], p.errors);
}

// Rows of a table (by its index among the section's tables) in DOM order, with their
// visibility and the attainment of every window column.
async function heatRows(page, sectionSel) {
  return page.evaluate((sel) => {
    const t = document.querySelector(`${sel} table.heatmap`);
    return [...t.tBodies[0].rows].map((tr) => ({
      group: tr.dataset.group,
      shown: tr.getClientRects().length > 0,
      att: [...tr.querySelectorAll(':scope > td')].map((td) => (td.dataset.attainment === undefined ? null : Number(td.dataset.attainment))),
    }));
  }, sectionSel);
}

// null when values are sorted in one direction with nulls together at one end; else a reason.
function sortedDirection(values, cmp) {
  const vals = values.filter((v) => v !== null);
  const firstNull = values.indexOf(null);
  if (firstNull >= 0) {
    const nulls = values.length - vals.length;
    const atEnd = values.slice(values.length - nulls).every((v) => v === null);
    const atStart = values.slice(0, nulls).every((v) => v === null);
    if (!atEnd && !atStart) return { dir: null, why: 'empty cells are not together at one end' };
  }
  let asc = true, desc = true;
  for (let i = 1; i < vals.length; i++) {
    const c = cmp(vals[i - 1], vals[i]);
    if (c > 0) asc = false;
    if (c < 0) desc = false;
  }
  if (asc && desc) return { dir: 'any' };
  if (asc) return { dir: 'asc' };
  if (desc) return { dir: 'desc' };
  return { dir: null, why: 'not sorted' };
}

async function checkInteractions(page, dom, label) {
  // Sorting: the first heat map with two rows and a column of distinct attainments.
  const cmpNum = (a, b) => a - b;
  const cmpStr = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  let sorted = false;
  for (const s of dom.sections) {
    const sel = `section.sla[data-sla="${s.attrs['data-sla']}"]`;
    const before = await heatRows(page, sel);
    if (before.length < 3) continue;
    const nwin = before[0].att.length;
    let col = -1;
    for (let i = 0; i < nwin && col < 0; i++) {
      const v = before.map((r) => r.att[i]);
      if (new Set(v.filter((x) => x !== null)).size >= 3 && sortedDirection(v, cmpNum).dir === null) col = i;
    }
    if (col < 0) continue;
    where = `${label} ${sel}: sorting`;
    const th = page.locator(`${sel} table.heatmap thead th[data-sort="window"]`).nth(col);
    await th.click();
    const a1 = await heatRows(page, sel);
    const d1 = sortedDirection(a1.map((r) => r.att[col]), cmpNum);
    check(d1.dir && d1.dir !== 'any', `after one click on window column ${col + 1} the rows are ${d1.why ?? 'unchanged'}: ${JSON.stringify(a1.map((r) => r.att[col]).slice(0, 12))}...`);
    setEq('rows after sorting', before.map((r) => r.group), a1.map((r) => r.group));
    await th.click();
    const a2 = await heatRows(page, sel);
    const d2 = sortedDirection(a2.map((r) => r.att[col]), cmpNum);
    check(d2.dir && d2.dir !== 'any' && d2.dir !== d1.dir, `after a second click on window column ${col + 1} the rows are not sorted the other way (first ${d1.dir}, then ${d2.dir ?? d2.why})`);
    const gth = page.locator(`${sel} table.heatmap thead th[data-sort="group"]`);
    await gth.click();
    const g1 = sortedDirection((await heatRows(page, sel)).map((r) => r.group), cmpStr);
    check(g1.dir && g1.dir !== 'any', `after a click on the group column the rows are not sorted by group (${g1.why})`);
    await gth.click();
    const g2 = sortedDirection((await heatRows(page, sel)).map((r) => r.group), cmpStr);
    check(g2.dir && g2.dir !== g1.dir, `after a second click on the group column the rows are not sorted the other way (first ${g1.dir}, then ${g2.dir ?? g2.why})`);
    // The cells moved with their rows: the numbers still match.
    sorted = true;
    where = label;
    break;
  }

  // Pagination, where rows are hidden when the page opens.
  let pages = 0;
  for (const s of dom.sections) {
    const sel = `section.sla[data-sla="${s.attrs['data-sla']}"]`;
    for (const kind of ['heatmap', 'breaches']) {
      const rowsSel = `${sel} table.${kind} > tbody > tr`;
      const shown = () => page.$$eval(rowsSel, (trs) => trs.map((tr) => tr.getClientRects().length > 0));
      const v0 = await shown();
      if (v0.length === 0 || v0.every(Boolean)) continue;
      pages++;
      where = `${label} ${sel} table.${kind}: pagination`;
      check(v0.some(Boolean), 'no row is shown');
      // A control after the table in the section: "next", "»", "›", "more", "show all", "2".
      const control = page.locator(`${sel} :is(button, a, [role=button])`).filter({ hasText: /next|›|»|→|more|show all|^\s*2\s*$/i }).first();
      if (!check(await control.count(), `${v0.filter((x) => !x).length} of ${v0.length} rows are hidden but there is no next/more control`)) { where = label; continue; }
      await control.click();
      const v1 = await shown();
      check(v1.some((x, i) => x && !v0[i]), 'the next/more control shows no row that was hidden');
      where = label;
    }
  }
  return { sorted, paginated: pages };
}

// The pages of a PDF: its /Type /Page objects, and the page tree root's /Count (the
// largest), which must agree.
function pdfPages(buf) {
  const text = buf.toString('latin1');
  const pages = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
  const count = Math.max(0, ...[...text.matchAll(/\/Count\s+(\d+)/g)].map((m) => Number(m[1])));
  return { pages, count };
}

async function layoutRecord(page) {
  return page.evaluate(() => {
    const sels = ['header#summary', '#total-penalty', 'section.sla', 'table.heatmap', 'table.breaches',
      'figure.timeline', 'figure.burndown', 'table.verdicts'];
    const first = new Set(['figure.timeline', 'figure.burndown']);
    const r10 = (v) => Math.round(v / 10) * 10;
    const out = {};
    for (const s of sels) {
      let els = [...document.querySelectorAll(s)];
      if (first.has(s)) els = els.slice(0, 1);
      out[s] = els.map((e) => {
        const b = e.getBoundingClientRect();
        return { x: r10(b.x + scrollX), y: r10(b.y + scrollY), w: r10(b.width), h: r10(b.height) };
      });
    }
    return out;
  });
}

// docs/report-layout.json: a box per line, so that a change reads well in a diff.
function layoutJson(boxes) {
  const sels = Object.keys(boxes).map((sel) => `    ${JSON.stringify(sel)}: [` +
    boxes[sel].map((b) => `\n      ${JSON.stringify(b)}`).join(',') + (boxes[sel].length ? '\n    ]' : ']'));
  return `{\n  "about": "bounding boxes (page coordinates, rounded to 10 px) of the report of examples/acme-retail.sla on examples/ev-estate in headless Chromium at 1280x900; tests/browser/report.test.mjs compares them with a tolerance of ${LAYOUT_TOLERANCE_PX} px; SLAC_UPDATE_SCREENSHOT=1 rewrites them",\n` +
    `  "viewport": {"width": 1280, "height": 900},\n  "boxes": {\n${sels.join(',\n')}\n  }\n}\n`;
}

function compareLayout(expected, got) {
  for (const sel of Object.keys(expected.boxes)) {
    const e = expected.boxes[sel], g = got[sel] ?? [];
    if (!eq(`layout: count of ${sel}`, e.length, g.length)) continue;
    e.forEach((box, i) => {
      for (const k of ['x', 'y', 'w', 'h'])
        check(Math.abs(box[k] - g[i][k]) <= LAYOUT_TOLERANCE_PX,
          `layout: ${sel}[${i}].${k} is ${g[i][k]}, docs/report-layout.json has ${box[k]} (tolerance ${LAYOUT_TOLERANCE_PX} px)`);
    });
  }
}

// ---------------------------------------------------------------- main

const browser = await chromium.launch({ executablePath: CHROMIUM });
const summary = [];
try {
  for (const c of cases) {
    where = c.name;
    const t0 = Date.now();
    const common = [c.contract, '--data', c.data];
    const html = path.join(work, `${c.name}.html`);
    fs.rmSync(html, { force: true });
    run(['report', ...common, '-o', html, ...c.opts]);
    if (!fs.existsSync(html)) fatal(`${c.name}: slac report wrote no ${html}`);
    const evalOpts = c.opts.filter((o, i) => !['--as-of', '--seed'].includes(o) && !['--as-of', '--seed'].includes(c.opts[i - 1]));
    const ev = run(['eval', ...common, '--format', 'json', ...evalOpts], { json: true });
    fs.writeFileSync(path.join(work, `${c.name}.eval.json`), JSON.stringify(ev, null, 2));
    let st = null;
    const asOf = c.opts.indexOf('--as-of');
    if (asOf >= 0) {
      st = run(['status', ...common, '--format', 'json', ...c.opts], { json: true });
      fs.writeFileSync(path.join(work, `${c.name}.status.json`), JSON.stringify(st, null, 2));
    }
    const bytes = fs.readFileSync(html);
    if (c.deterministic) {
      const again = path.join(work, `${c.name}.again.html`);
      run(['report', ...common, '-o', again, ...c.opts]);
      check(Buffer.compare(bytes, fs.readFileSync(again)) === 0, 'two runs of slac report with the same inputs wrote different bytes');
    }
    const url = pathToFileURL(html).href;

    // JavaScript off: structure, numbers, nothing hidden.
    where = `${c.name} [js off]`;
    const off = await openPage(browser, url, { js: false });
    const domOff = await off.page.evaluate(extractDom);
    checkDom(domOff, c, ev, st, { js: false });
    finishPage(off);
    await off.context.close();

    // JavaScript on: the same, then sorting and pagination, then the numbers again.
    where = `${c.name} [js on]`;
    const on = await openPage(browser, url, { js: true });
    const dom = await on.page.evaluate(extractDom);
    checkDom(dom, c, ev, st, { js: true });
    let layout = null;
    if (c.layout) {
      layout = await layoutRecord(on.page);
      const png = await on.page.screenshot({ type: 'png', fullPage: false });
      fs.writeFileSync(path.join(work, `${c.name}.png`), png);
      const record = layoutJson(layout);
      fs.writeFileSync(path.join(work, `${c.name}-layout.json`), record);
      check(png.length < 400 * 1024, `the screenshot is ${png.length} bytes (over 400 KB)`);
      if (UPDATE) {
        fs.writeFileSync(LAYOUT_FILE, record);
        fs.writeFileSync(SCREENSHOT_FILE, png);
        console.log(`report.test: wrote ${LAYOUT_FILE} and ${SCREENSHOT_FILE}`);
      } else if (check(fs.existsSync(LAYOUT_FILE), `${LAYOUT_FILE} is missing; run with SLAC_UPDATE_SCREENSHOT=1`)) {
        compareLayout(JSON.parse(fs.readFileSync(LAYOUT_FILE, 'utf8')), layout);
      }
    }
    const inter = await checkInteractions(on.page, dom, where);
    if (c.paginated) check(inter.paginated > 0, 'a heat map of more than 100 groups, but no table is paginated');
    where = `${c.name} [js on, after sorting and paging]`;
    checkDom(await on.page.evaluate(extractDom), c, ev, st, { js: true });

    // Printing: A4 and Letter, at least a page per SLA/KPI section; printed, every row shows.
    where = `${c.name} [print]`;
    await on.page.reload({ waitUntil: 'load' });
    await on.page.emulateMedia({ media: 'print' });
    const printed = await on.page.evaluate(extractDom);
    for (const s of printed.sections) for (const t of [...s.heatmaps, ...s.breaches, ...s.verdicts]) {
      const hidden = t.rows.filter((r) => !r.shown).length;
      check(hidden === 0, `section#sla-${s.attrs['data-sla']} table.${t.attrs.class}: ${hidden} of ${t.rows.length} rows are hidden in print`);
    }
    // Each SLA/KPI section (and the status section) starts a page.
    const breaks = await on.page.$$eval('section.sla, section#status', (ss) => ss.map((x) => [x.id, getComputedStyle(x).breakBefore]));
    for (const [id, b] of breaks) check(b === 'page', `section#${id}: in print, break-before is ${JSON.stringify(b)}, not "page"`);
    const pdfs = {};
    for (const format of ['A4', 'Letter']) {
      const pdf = await on.page.pdf({ format });
      fs.writeFileSync(path.join(work, `${c.name}-${format}.pdf`), pdf);
      check(pdf.length > 0 && pdf.subarray(0, 5).toString('latin1') === '%PDF-', `${format} PDF is empty or does not start with %PDF-`);
      const { pages, count } = pdfPages(pdf);
      pdfs[format] = pages;
      eq(`${format} PDF: /Type /Page objects against the page tree's /Count`, count, pages);
      check(pages >= dom.sections.length, `${format} PDF has ${pages} pages for ${dom.sections.length} SLA/KPI sections`);
    }
    where = `${c.name} [js on]`;
    finishPage(on);
    await on.context.close();

    summary.push(`${c.name}: ${(bytes.length / 1024).toFixed(0)} KiB, ${dom.sections.length} sections, ` +
      `${ev.results.length} results, sorted: ${inter.sorted ? 'yes' : 'no'}, paginated tables: ${inter.paginated}, ` +
      `PDF pages A4 ${pdfs.A4} / Letter ${pdfs.Letter}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
} finally {
  await browser.close();
}

for (const s of summary) console.log(s);
console.log(`report.test: ${checks} checks, ${failures.length} failed, ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failures.length) {
  // Each message once, with the contexts it came from ("[js off]", "[js on]", ...);
  // at most 5 messages of one shape (numbers and quoted texts aside).
  const byMessage = new Map();
  for (const f of failures) {
    const m = /^(\S+)(?: \[([^\]]*)\])?(.*)$/s.exec(f);
    const key = `${m[1]}\u0000${m[3]}`;
    if (!byMessage.has(key)) byMessage.set(key, []);
    if (m[2] && !byMessage.get(key).includes(m[2])) byMessage.get(key).push(m[2]);
  }
  const shapes = new Map();
  for (const [msg, contexts] of byMessage) {
    const [name, rest] = msg.split('\u0000');
    const shape = rest.replace(/\[[^\]]*\]|\d+|"[^"]*"/g, '#');
    const n = (shapes.get(shape) ?? 0) + 1;
    shapes.set(shape, n);
    if (n <= 5) console.error(`FAIL ${name}${contexts.length ? ` [${contexts.join('; ')}]` : ''}${rest}`);
    else if (n === 6) console.error('FAIL ... and more like the one above');
  }
  process.exit(1);
}
