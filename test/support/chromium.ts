import { existsSync } from 'node:fs';

/** The one line every browser layer prints when it has no browser to drive. */
export const NO_CHROMIUM_MESSAGE =
  'No Chromium found: install one with `apt-get install -y chromium` (or set CHROMIUM_PATH to a Chromium binary).';

/**
 * Finds the Chromium the browser layers drive: `CHROMIUM_PATH`, then Debian's
 * `/usr/bin/chromium`. Nothing here ever downloads a browser.
 */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'];
  return candidates.find((path): path is string => !!path && existsSync(path));
}

/**
 * Flags that keep a headless Chromium off the network: on a closed machine it
 * otherwise spends its start-up failing to reach update and sync services.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Playwright launch options for the Chromium found, or undefined when there is none. */
export function chromiumLaunchOptions(): { executablePath: string; args: string[] } | undefined {
  const executablePath = findChromium();
  return executablePath ? { executablePath, args: CHROMIUM_ARGS } : undefined;
}
