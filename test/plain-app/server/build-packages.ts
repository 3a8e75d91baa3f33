import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function builtAt(pkg: string): number {
  try {
    return statSync(join(repo, 'packages', pkg, 'dist/index.d.ts')).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * The plain app uses the packages as an installed app does, through their package.json
 * exports: builds them (`npm run build`) when a source is newer than the build. Returns
 * the build's exit code (0 when nothing needed building).
 */
export function buildPackagesIfStale(): number {
  const stale = ['core', 'react'].some((pkg) => builtAt(pkg) < newest(join(repo, 'packages', pkg, 'src')));
  if (!stale) return 0;
  return spawnSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'inherit' }).status ?? 1;
}
