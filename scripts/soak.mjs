// `npm run soak`: the memory soak (test/soak/memory.soak.ts), too long for `npm test`. Builds
// like scripts/test.mjs (tsc → out/, bundles dist/), then runs the soak with node's test runner,
// whose summary lines (# pass, # fail) are the last thing printed. Extra arguments go to node --test.
// SOAK_ROUNDS and SOAK_EDITS shorten the profile; PROPERTY_SEED replays another edit sequence.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

rmSync('out', { recursive: true, force: true });
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
run(process.execPath, ['scripts/build.mjs']);
run(process.execPath, ['--enable-source-maps', '--test', ...process.argv.slice(2), 'out/test/soak/memory.soak.js']);
