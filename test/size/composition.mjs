// What each size-limit entry is made of: `npm run build`, then `npm run size:composition [name]`.
// Bundles every entry of package.json's size-limit list as size-limit does (esbuild, minified,
// dependencies included, the entry's `ignore` left out), prints its gzip size and how much of it
// is each dependency and our own code; for the entry whose name starts with `name`, also the
// minified bytes of each of our files, largest first.
import esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../..', import.meta.url));
const checks = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))['size-limit'];
const detailed = process.argv[2];
const work = mkdtempSync(join(tmpdir(), 'size-composition-'));

/** `idb`, `@scope/name`, or `own` for the repository's files. */
function owner(input) {
  const inModules = input.split('node_modules/')[1];
  if (inModules === undefined) return 'own';
  const parts = inModules.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

try {
  for (const check of checks) {
    const entry = join(work, 'entry.js');
    const target = join(root, check.path);
    writeFileSync(
      entry,
      check.import ? `export ${check.import} from '${target}';` : `export * from '${target}';`,
    );
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      metafile: true,
      write: false,
      format: 'esm',
      external: check.ignore ?? [],
      outdir: join(work, 'out'),
    });
    const gzip = gzipSync(result.outputFiles[0].contents).length;
    const inputs = Object.entries(Object.values(result.metafile.outputs)[0].inputs);
    const total = inputs.reduce((sum, [, v]) => sum + v.bytesInOutput, 0) || 1;
    const byOwner = new Map();
    for (const [input, v] of inputs)
      byOwner.set(owner(input), (byOwner.get(owner(input)) ?? 0) + v.bytesInOutput);
    // Each part's share of the gzip size, in proportion to its minified bytes.
    const parts = [...byOwner]
      .sort((a, b) => b[1] - a[1])
      .map(([name, bytes]) => `${name} ${((gzip * bytes) / total / 1024).toFixed(1)}`);
    console.log(`${check.name}: ${(gzip / 1024).toFixed(1)} KB gz (${parts.join(', ')})`);
    if (detailed && check.name.startsWith(detailed)) {
      const own = inputs
        .filter(([input]) => owner(input) === 'own')
        .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
      for (const [input, v] of own)
        console.log(`    ${String(v.bytesInOutput).padStart(6)} ${input.replace(root, '')}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
