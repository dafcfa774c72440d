/**
 * The fuzzer's fast profile (test/fuzz/serverFuzzer.ts): a few dozen rounds against the bundled
 * server. FUZZ_SEED picks another seed; `npm run fuzz -- --seed N --rounds M` runs a longer one.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { fuzzServer } from './serverFuzzer';
import { seedOf } from '../support/random';

test('fuzzing the server over stdio: it never dies, answers in time and publishes every version', async () => {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : seedOf(424_242);
  const failure = await fuzzServer({ seed, rounds: 60 });
  assert.equal(
    failure && `${failure.what}\nreplay: npm run fuzz -- --seed ${failure.seed} --round ${failure.round}\n--- text (JSON) ---\n${JSON.stringify(failure.text).slice(0, 4000)}`,
    undefined,
  );
});
