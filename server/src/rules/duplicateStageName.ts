import { Rule, quote } from './rule';

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
};
