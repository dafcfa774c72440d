// `npm run fuzz -- [--seed N] [--rounds M] [--round R]`: the server fuzzer
// (test/fuzz/serverFuzzer.ts) for as long as asked. Builds first, like `npm test`. Without
// --seed a fresh seed is drawn and printed; --round R replays that one round of a seed. A
// failure prints the seed and round that replay it, and exits 1.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { seed: { type: 'string' }, rounds: { type: 'string' }, round: { type: 'string' }, quiet: { type: 'boolean' } } });
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 1e9);
const firstRound = values.round !== undefined ? Number(values.round) : 0;
const rounds = values.round !== undefined ? 1 : Number(values.rounds ?? 500);
if (!Number.isInteger(seed) || !Number.isInteger(rounds) || !Number.isInteger(firstRound)) {
  console.error('usage: npm run fuzz -- [--seed N] [--rounds M] [--round R] [--quiet]');
  process.exit(2);
}

for (const args of [['node_modules/typescript/bin/tsc', '-p', '.'], ['scripts/build.mjs']]) {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const require = createRequire(import.meta.url);
const { fuzzServer } = require('../out/test/fuzz/serverFuzzer.js');
console.log(`fuzzing with --seed ${seed}, rounds ${firstRound}..${firstRound + rounds - 1}`);
const started = Date.now();
const failure = await fuzzServer({ seed, rounds, firstRound, log: values.quiet ? undefined : (line) => console.log(line) });
if (failure) {
  console.error(`\nFAILED: ${failure.what}\nreplay: npm run fuzz -- --seed ${failure.seed} --round ${failure.round}\n--- text (JSON) ---\n${JSON.stringify(failure.text)}`);
  process.exit(1);
}
console.log(`${rounds} rounds passed in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${seed})`);
