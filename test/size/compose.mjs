import esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
const root = '/work/main';
const checks = JSON.parse(await (await import('node:fs/promises')).readFile(root + '/package.json', 'utf8'))[
  'size-limit'
];
mkdirSync('/work/tmp/sz', { recursive: true });
for (const c of checks) {
  const entry = '/work/tmp/sz/entry.js';
  writeFileSync(
    entry,
    c.import ? `export ${c.import} from '${root}/${c.path}';` : `export * from '${root}/${c.path}';`,
  );
  const r = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    metafile: true,
    write: false,
    external: c.ignore ?? [],
    format: 'esm',
    outdir: '/work/tmp/sz/out',
  });
  const out = r.outputFiles[0].contents;
  const total = gzipSync(out).length;
  const meta = Object.values(r.metafile.outputs)[0].inputs;
  const groups = {};
  let sum = 0;
  for (const [k, v] of Object.entries(meta)) {
    const g = k.includes('node_modules/')
      ? k
          .split('node_modules/')[1]
          .split('/')
          .slice(0, k.split('node_modules/')[1].startsWith('@') ? 2 : 1)
          .join('/')
      : 'own';
    groups[g] = (groups[g] ?? 0) + v.bytesInOutput;
    sum += v.bytesInOutput;
  }
  const parts = Object.entries(groups)
    .sort((a, b) => b[1] - a[1])
    .map(([g, b]) => `${g} ${((total * b) / sum / 1024).toFixed(1)}`)
    .join(', ');
  console.log(`${c.name}: ${(total / 1024).toFixed(1)} KB gz (${parts})`);
  if (process.argv[2] && c.name.startsWith(process.argv[2])) {
    const own = Object.entries(meta)
      .filter(([k]) => !k.includes('node_modules'))
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
    for (const [k, v] of own)
      console.log('   ', v.bytesInOutput, k.replace(root + '/packages/core/dist/', ''));
  }
}
