import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';

test('COPY --from=build resolves to the stage named build', () => {
  const model = analyzeText('FROM golang AS build\nFROM scratch\nCOPY --from=build /out /out\n');
  const ref = model.refs.find((r) => r.kind === 'copy')!;
  assert.deepEqual(ref.resolution, { kind: 'stage', stage: 0 });
});
