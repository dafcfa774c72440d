import { Rule } from './rule';

/**
 * `--from=$X`: BuildKit does not expand variables in --from (moby/buildkit#6153 rejects it with
 * "variable expansion is not supported for --from"); the workaround is a stage `FROM ${X}`.
 */
export const variableInFromFlag: Rule = {
  code: 'VariableInFromFlag',
  buildkitCheck: false,
  severity: 'error',
  description: 'A variable in --from or from=, which BuildKit does not expand.',
  check(model, report) {
    for (const ref of model.refs) {
      if (ref.resolution.kind !== 'invalid' || ref.resolution.reason !== 'variable') continue;
      const flag = ref.kind === 'mount' ? 'from=' : '--from=';
      const what = ref.value.includes('$') ? 'Variables are' : 'Quotes and escapes are';
      report({
        message: `${what} not supported in ${flag}${ref.value}: BuildKit rejects it. Declare the ARG before the first FROM, add a stage "FROM ${ref.value} AS some-name" and use ${flag}some-name.`,
        range: ref.range,
      });
    }
  },
};
