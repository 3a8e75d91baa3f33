import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Copies the best screenshots of the end-to-end journeys into docs/images, under stable
// names the README links to. Run the journeys first (they write test/.artifacts/screenshots):
//
//   npm run build:demo && npx playwright test -c test/e2e/playwright.config.ts journey demo.spec
//   npx tsx test/e2e/copy-screenshots.ts
//
// A missing screenshot is an error: the README must never point at a stale or absent image.

const from = fileURLToPath(new URL('../.artifacts/screenshots/', import.meta.url));
const to = fileURLToPath(new URL('../../docs/images/', import.meta.url));

/** Journey screenshot → README image. */
const README_IMAGES: Readonly<Record<string, string>> = {
  'demo-first-visit': 'demo-first-visit.png',
  'journey-1-offline-three-waiting': 'offline-three-waiting.png',
  'journey-1-offline-after-reload': 'offline-after-reload.png',
  'journey-1-offline-synced': 'offline-synced.png',
  'journey-2-slow-decline-warned': 'slow-decline-warned.png',
  'journey-2-slow-decline-failing': 'slow-decline-failing.png',
  'demo-server-meltdown': 'server-meltdown.png',
  'journey-3-rejected-dead': 'rejected-write.png',
  'journey-4-two-tabs-a-waiting': 'two-tabs-waiting.png',
  'journey-5-closed-tab-delivered': 'closed-tab-delivered.png',
};

const missing = Object.keys(README_IMAGES).filter((name) => !existsSync(`${from}${name}.png`));
if (missing.length > 0) {
  console.error(`Missing screenshots (run the journeys first): ${missing.join(', ')}`);
  process.exit(1);
}
mkdirSync(to, { recursive: true });
for (const [name, image] of Object.entries(README_IMAGES)) {
  copyFileSync(`${from}${name}.png`, `${to}${image}`);
  console.log(`docs/images/${image} ← ${name}.png`);
}
