import { createsImplicitState } from '../analysis/stageModel';
import { Rule, quote } from './rule';

/**
 * `--from=N` with no stage N. BuildKit fails with "invalid stage index" (dockerfile2llb
 * findStateByIndex), unless N lands on one of the implicit image states it appends after
 * the stages for each earlier --from / from= naming an image: then it copies from that image.
 */
export const stageIndexOutOfRange: Rule = {
  code: 'StageIndexOutOfRange',
  buildkitCheck: false,
  severity: 'error',
  description: 'A numeric --from=N with no stage N.',
  check(model, report) {
    const count = model.stages.length;
    const implicit: string[] = [];
    for (const ref of model.refs) {
      const stages = `Stages are numbered from 0 and this file has ${count} (0 to ${count - 1}).`;
      if (ref.resolution.kind === 'invalid' && ref.resolution.reason === 'index-out-of-range') {
        report({ message: `--from=${ref.value}: there is no stage ${ref.value}. ${stages}`, range: ref.range });
      } else if (ref.numeric && ref.resolution.kind === 'image') {
        const image = implicit[Number(ref.value) - count];
        report({
          message: `--from=${ref.value}: there is no stage ${ref.value}. ${stages} BuildKit counts the images named by earlier --from / from= after the stages, so this copies from the image ${quote(image)}.`,
          range: ref.range,
          severity: 'warning',
        });
      }
      if (createsImplicitState(ref)) implicit.push(ref.value === '' ? 'scratch' : ref.value);
    }
  },
};
