import { referenceEdit } from '../edits/referenceEdit';
import { closestNames, looksLikeImageReference, parseStageIndex } from '../analysis/stageNames';
import { sameRange } from '../analysis/positions';
import { StageModel } from '../analysis/stageModel';
import { Rule, quote } from './rule';

/**
 * A `--from` / `from=` name that matches no stage: BuildKit silently treats it as an image
 * and pulls it, the failure behind many typos. A warning, not an error: `--build-context` or
 * a real image of that name may be intended.
 */
export const unknownStageReference: Rule = {
  code: 'UnknownStageReference',
  buildkitCheck: false,
  severity: 'warning',
  description: 'A --from or from= name that matches no stage, so BuildKit pulls an image of that name.',
  check(model, report) {
    for (const ref of model.refs) {
      if (ref.resolution.kind !== 'image' || (ref.kind !== 'copy' && ref.kind !== 'mount')) continue;
      // A numeric --from that lands on an implicit image is StageIndexOutOfRange's; an empty
      // mount from= mounts scratch on purpose, and `scratch` is the empty image, never pulled
      // (dockerfile2llb: a stage whose base is "scratch" is llb.Scratch()).
      if (ref.numeric || ref.value === '' || ref.value === 'scratch') continue;
      if (ref.kind === 'mount' && parseStageIndex(ref.value) !== undefined) {
        const stage = model.stages[Number(ref.value)];
        report({
          message: `from=${ref.value}: RUN --mount takes a stage name, not an index, so BuildKit looks for an image named ${quote(ref.value)}.${stage ? ` Stage ${ref.value} is ${stage.name ? quote(stage.name) : 'unnamed: name it and use the name'}.` : ''}`,
          range: ref.range,
          data: { suggestions: stage?.key && resolvesCleanly(model, stage.key, ref.owner) ? [stage.key] : [] },
        });
        continue;
      }
      if (looksLikeImageReference(ref.value)) continue;
      const suggestions = closestNames(ref.value, usableNames(model, ref.owner)).filter((name) => resolvesCleanly(model, name, ref.owner));
      const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map(quote).join(' or ')}?` : '';
      report({
        message: `No stage named ${quote(ref.value)}: BuildKit will use the image ${quote(ref.value)} instead.${hint}`,
        range: ref.range,
        related: suggestions.map((name) => {
          const stage = model.stages[model.stageByKey.get(name)!];
          return { range: stage.nameRange!, message: `Stage ${quote(stage.name!)} is defined here` };
        }),
        data: { suggestions },
      });
    }
  },
  /** One "Change to" per suggestion, the best first. Not for fix-all: a guess is the user's to confirm. */
  fixes(model, finding) {
    const ref = model.refAt(finding.range.start);
    const suggestions = finding.data?.suggestions;
    if (!ref || !sameRange(ref.range, finding.range) || !Array.isArray(suggestions)) return [];
    return suggestions
      .filter((s): s is string => typeof s === 'string')
      .map((s, i) => ({ title: `Change to '${s}'`, kind: 'quickfix' as const, edits: [referenceEdit(ref, s)], isPreferred: i === 0 }));
  },
};

/**
 * The stage names a --from or from= in stage `owner` can use without an error: BuildKit finds
 * the last stage of a name, and it must be defined before the current stage.
 */
function usableNames(model: StageModel, owner: number): string[] {
  const names: string[] = [];
  for (const [key, index] of model.stageByKey) if (index < owner) names.push(key);
  return names;
}

/** Whether `--from=name` in stage `owner` would resolve to an earlier stage that does not need `owner` (no cycle). */
function resolvesCleanly(model: StageModel, name: string, owner: number): boolean {
  const index = model.stageByKey.get(name);
  return index !== undefined && index < owner && !model.reachableFrom(index).includes(owner);
}
