#!/usr/bin/env node
// Part of bench/report.sh: how long headless Chromium takes to open a report written
// by `slac report` from disk, to its `load` event and a forced layout
// (`document.body.getBoundingClientRect()` after `load`), against a baseline measured
// in the same run: a plain HTML page holding as many table cells (td and th) as the
// report, without styles or script. Prints one JSON object:
//   {"cells": N, "report_s": [...], "report_nojs_s": [...], "baseline_s": [...]}
// (report_nojs_s: the report with JavaScript disabled, so no heat-map paging: every
// row is laid out, as when printed.)
// The times are the page's own clock (from the start of the navigation: the end of
// the load event, plus the forced layout), one fresh browser context per run, runs of
// the pages alternating.
//
//   node bench/report-layout.mjs REPORT.html WORK_DIR [RUNS]
//
// playwright-core comes from tests/browser/node_modules (scripts/install-browser.sh).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [report, workDir, runsArg] = process.argv.slice(2);
if (!report || !workDir) {
  console.error('usage: node bench/report-layout.mjs REPORT.html WORK_DIR [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../tests/browser/package.json'));
const { chromium } = require('playwright-core');
const executablePath = process.env.SLAC_CHROMIUM || '/usr/bin/chromium';

const browser = await chromium.launch({ executablePath });
try {
  // Count the report's cells, then write the baseline: the same number of cells in
  // rows as wide as the report's widest table row.
  const counter = await browser.newContext({ javaScriptEnabled: false });
  const page = await counter.newPage();
  await page.goto(pathToFileURL(path.resolve(report)).href, { waitUntil: 'load' });
  const { cells, width } = await page.evaluate(() => ({
    cells: document.querySelectorAll('td, th').length,
    width: Math.max(1, ...[...document.querySelectorAll('tr')].map((tr) => tr.cells.length)),
  }));
  await counter.close();
  fs.mkdirSync(workDir, { recursive: true });
  const baseline = path.join(workDir, 'baseline.html');
  const out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>baseline</title></head><body><table>\n'];
  for (let i = 0; i < cells; i += width) {
    out.push('<tr>');
    for (let j = i; j < Math.min(cells, i + width); j++) out.push(`<td>${(j * 7919) % 1000 / 10}%</td>`);
    out.push('</tr>\n');
  }
  out.push('</table></body></html>\n');
  fs.writeFileSync(baseline, out.join(''));

  async function time(file, javaScriptEnabled = true) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
    await context.route('**/*', (r) => (r.request().url().startsWith('file:') ? r.continue() : r.abort()));
    const p = await context.newPage();
    await p.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
    // The end of the load event on the page's clock (from the start of the navigation),
    // plus what the forced layout then takes: the page's own times, without the
    // latency of the DevTools protocol between the load and this call.
    const ms = await p.evaluate(() => {
      const t0 = performance.now();
      document.body.getBoundingClientRect();
      const layout = performance.now() - t0;
      return performance.getEntriesByType('navigation')[0].loadEventEnd + layout;
    });
    await context.close();
    return ms / 1000;
  }
  const result = { cells, report_s: [], report_nojs_s: [], baseline_s: [] };
  await time(baseline); // warm up the browser process
  for (let i = 0; i < runs; i++) {
    result.report_s.push(await time(report));
    result.report_nojs_s.push(await time(report, false));
    result.baseline_s.push(await time(baseline));
  }
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
