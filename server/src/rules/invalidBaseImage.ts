import { isValidImageReference } from '../analysis/imageReference';
import { unquoteWord } from '../analysis/fromVariables';
import { Rule } from './rule';

/**
 * A FROM base that is neither an earlier stage nor a valid image reference: BuildKit fails
 * with "failed to parse stage name". The classic case is `FROM Builder` for a stage `AS builder`:
 * FROM compares with the lower-cased name exactly, so it falls through to an image, and upper
 * case is invalid in an image name.
 */
export const invalidBaseImage: Rule = {
  code: 'InvalidBaseImage',
  buildkitCheck: false,
  severity: 'error',
  description: 'A FROM base that is neither an earlier stage nor a valid image reference.',
  check(model, report) {
    for (const stage of model.stages) {
      const ref = stage.baseRef;
      if (!ref || ref.resolution.kind !== 'image') continue;
      const word = unquoteWord(ref.value, model.escapeChar);
      if (word === undefined || word === 'scratch' || isValidImageReference(word)) continue;
      const lower = word.toLowerCase();
      const earlier = model.stages.slice(0, stage.index).reverse().find((s) => s.key === lower);
      report({
        message: earlier
          ? `FROM ${word}: FROM matches stage names exactly in lower case, so this is not stage "${earlier.name}" but an image name, and upper case is not allowed in one. BuildKit fails with "failed to parse stage name". Write FROM ${lower}.`
          : `FROM ${word}: not a stage defined earlier and not a valid image reference (repository names are lower case: [registry/]name[:tag][@digest]). BuildKit fails with "failed to parse stage name".`,
        range: ref.range,
        related: earlier?.nameRange ? [{ range: earlier.nameRange, message: `Stage "${earlier.name}" is defined here` }] : [],
        data: earlier ? { replacement: lower } : undefined,
      });
    }
  },
  /** `FROM Builder` → `FROM builder` when an earlier stage has that name. */
  fixes(_model, finding) {
    const replacement = finding.data?.replacement;
    if (typeof replacement !== 'string') return [];
    return [{ title: `Change to '${replacement}'`, kind: 'quickfix', edits: [{ range: finding.range, newText: replacement }], isPreferred: true }];
  },
};
