import { sameRange } from '../analysis/positions';
import { renameStage } from '../edits/renameStage';
import { Rule } from './rule';

/** BuildKit lint StageNameCasing: names are lower-cased, so upper case only misleads. */
export const stageNameCasing: Rule = {
  code: 'StageNameCasing',
  buildkitCheck: true,
  severity: 'warning',
  description: 'A stage name with upper-case letters (BuildKit lower-cases it).',
  check(model, report) {
    for (const stage of model.stages) {
      if (stage.name === undefined || stage.name === stage.key) continue;
      report({
        message: `Stage name '${stage.name}' should be lowercase: BuildKit knows it as '${stage.key}'.`,
        range: stage.nameRange!,
        data: { replacement: stage.key },
      });
    }
  },
  /**
   * The declaration and every named use that resolves to it, in lower case (the rename
   * feature's edits: `--from` and `from=` ignore case, FROM uses are lower-case already).
   * The key does not change, so nothing resolves differently: safe for fix-all.
   */
  hasFixAll: true,
  fixes(model, finding) {
    const stage = model.declarationAt(finding.range.start);
    if (!stage?.nameRange || !sameRange(stage.nameRange, finding.range) || stage.key === undefined) return [];
    const renamed = renameStage(model, stage, stage.key, { casingOnly: true });
    if ('error' in renamed || renamed.edits.length === 0) return [];
    return [{ title: 'Lower-case the stage name', kind: 'quickfix', edits: renamed.edits, isPreferred: true, fixAll: true }];
  },
};
