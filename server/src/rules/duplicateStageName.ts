import { isValidStageName } from '../analysis/stageNames';
import { renameStage } from '../edits/renameStage';
import { Rule, quote } from './rule';

const MAX_SUFFIX = 20;

/** BuildKit lint DuplicateStageName; lookups then find the last definition. */
export const duplicateStageName: Rule = {
  code: 'DuplicateStageName',
  buildkitCheck: true,
  severity: 'warning',
  description: 'Two stages share a name (compared case-insensitively); references find the last one.',
  check(model, report) {
    const first = new Map<string, number>();
    for (const stage of model.stages) {
      if (stage.key === undefined || stage.nameRange === undefined) continue;
      const earlier = first.get(stage.key);
      if (earlier === undefined) {
        first.set(stage.key, stage.index);
        continue;
      }
      const other = model.stages[earlier];
      report({
        message: `Duplicate stage name ${quote(stage.name!)}: stage ${earlier} already has it. References to ${quote(stage.key)} after this line find the last definition.`,
        range: stage.nameRange,
        related: [{ range: other.nameRange!, message: `First definition of ${quote(other.name!)} (stage ${earlier})` }],
        data: { stage: stage.index },
      });
    }
  },
  /**
   * Renames this duplicate to `name-2` (or the first free `name-N`) with the rename feature's
   * edits: the uses that resolve to this definition follow it, and a use that found another
   * definition keeps finding it. Not for fix-all: which copy deserves the name is the user's call.
   */
  fixes(model, finding) {
    const stage = model.stages[finding.data?.stage as number];
    if (!stage || stage.key === undefined) return [];
    for (let n = 2; n <= MAX_SUFFIX; n++) {
      const name = `${stage.key}-${n}`;
      if (!isValidStageName(name)) return [];
      const renamed = renameStage(model, stage, name);
      if ('error' in renamed) continue;
      return [{ title: `Rename to '${name}'`, kind: 'quickfix', edits: renamed.edits, isPreferred: true }];
    }
    return [];
  },
};
