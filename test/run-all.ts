import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildPackagesIfStale } from './plain-app/server/build-packages.js';
import { findChromium, NO_CHROMIUM_MESSAGE } from './support/chromium.js';

// Runs every test layer in turn and ends with one line summing them all:
// `N passed, N failed`. A layer that crashes before reporting counts as one failure.

interface LayerResult {
  layer: string;
  passed: number;
  failed: number;
  skipped: number;
}

const artifacts = 'test/.artifacts';
mkdirSync(artifacts, { recursive: true });

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function readJson(path: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function vitestLayer(project: string): LayerResult {
  const out = `${artifacts}/${project}.json`;
  rmSync(out, { force: true });
  const code = run('npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  const report = readJson(out) as
    | { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }
    | undefined;
  if (!report) return { layer: project, passed: 0, failed: 1, skipped: 0 };
  const failed = report.numFailedTests + (code !== 0 && report.numFailedTests === 0 ? 1 : 0);
  return {
    layer: project,
    passed: report.numPassedTests,
    failed,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

function playwrightLayer(layer: string, config: string): LayerResult {
  const out = `${artifacts}/${layer}.json`;
  rmSync(out, { force: true });
  const code = run('npx', ['playwright', 'test', '-c', config, '--reporter=list,json'], {
    // Playwright resolves a relative name against its config's folder.
    PLAYWRIGHT_JSON_OUTPUT_NAME: resolve(out),
  });
  const report = readJson(out) as
    { stats: { expected: number; unexpected: number; flaky: number; skipped: number } } | undefined;
  if (!report) return { layer, passed: 0, failed: 1, skipped: 0 };
  const { expected, unexpected, flaky, skipped } = report.stats;
  return {
    layer,
    passed: expected,
    // A test that needed a retry to pass is a flake: it counts as a failure here.
    failed: unexpected + flaky + (code !== 0 && unexpected + flaky === 0 ? 1 : 0),
    skipped,
  };
}

function e2eLayer(): LayerResult {
  const built = run('npm', ['run', 'build:demo', '--silent']);
  if (built !== 0) return { layer: 'e2e', passed: 0, failed: 1, skipped: 0 };
  return playwrightLayer('e2e', 'test/e2e/playwright.config.ts');
}

/**
 * The plain app uses the built packages as an installed app would: build them when stale,
 * type-check the app with its own settings (counted as one test), then drive it on the dev
 * server (development build) and, for the scenarios tagged @production, built for production.
 */
function plainAppLayer(): LayerResult {
  const layer = 'plain-app';
  if (buildPackagesIfStale() !== 0) return { layer, passed: 0, failed: 1, skipped: 0 };
  const typesOk = run('npx', ['tsc', '-p', 'test/plain-app/tsconfig.json']) === 0;
  const dev = playwrightLayer(layer, 'test/plain-app/e2e/playwright.config.ts');
  const production = playwrightLayer(
    `${layer}-production`,
    'test/plain-app/e2e/playwright.production.config.ts',
  );
  const result = {
    layer,
    passed: dev.passed + production.passed,
    failed: dev.failed + production.failed,
    skipped: dev.skipped + production.skipped,
  };
  return typesOk ? { ...result, passed: result.passed + 1 } : { ...result, failed: result.failed + 1 };
}

function browserMissing(layer: string): LayerResult {
  console.error(NO_CHROMIUM_MESSAGE);
  return { layer, passed: 0, failed: 1, skipped: 0 };
}

const only = process.argv.slice(2);
const wanted = (layer: string) => only.length === 0 || only.includes(layer);
const hasChromium = findChromium() !== undefined;

const results: LayerResult[] = [];
if (wanted('unit')) results.push(vitestLayer('unit'));
if (wanted('dom')) results.push(vitestLayer('dom'));
if (wanted('browser')) results.push(hasChromium ? vitestLayer('browser') : browserMissing('browser'));
if (wanted('e2e')) results.push(hasChromium ? e2eLayer() : browserMissing('e2e'));
if (wanted('plain-app')) results.push(hasChromium ? plainAppLayer() : browserMissing('plain-app'));

console.log('\nLayer totals:');
for (const r of results) {
  console.log(`  ${r.layer.padEnd(9)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
}
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
const skipped = results.reduce((sum, r) => sum + r.skipped, 0);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
