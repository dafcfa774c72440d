// `npm run corpus-table`: compiles (tsc → out/), then rewrites the README's table of what the CLI
// finds over ../shared/corpus/real by rule (test/support/corpusTable.ts; the corpus test fails
// while the README's table differs from it).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const corpus = join('..', 'shared', 'corpus', 'real');
if (!existsSync(corpus)) {
  console.error(`corpus-table: no corpus at ${corpus}`);
  process.exit(2);
}
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const { corpusTable, withTable } = createRequire(import.meta.url)('../out/test/support/corpusTable.js');
const readme = readFileSync('README.md', 'utf8');
const updated = withTable(readme, await corpusTable(corpus));
if (updated === undefined) {
  console.error('corpus-table: the README has no corpus-table markers');
  process.exit(1);
}
writeFileSync('README.md', updated);
console.log(updated === readme ? 'README.md: the corpus table is up to date' : 'README.md: corpus table rewritten');
