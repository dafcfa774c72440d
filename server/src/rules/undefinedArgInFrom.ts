import { PREDEFINED_PLATFORM_ARGS } from '../analysis/stageModel';
import { levenshteinDistance } from '../analysis/stageNames';
import { RelatedLocation, Rule } from './rule';
import { stageLabel } from './referenceDescriptions';

/**
 * BuildKit lint UndefinedArgInFrom: a FROM line sees only the global ARGs (declared before the
 * first FROM) and the predefined platform ARGs. An ARG declared inside a stage is the classic
 * trap: it looks declared, but the FROM below it cannot see it.
 */
export const undefinedArgInFrom: Rule = {
  code: 'UndefinedArgInFrom',
  buildkitCheck: true,
  severity: 'warning',
  description: 'A FROM line uses a build argument that is not declared before the first FROM.',
  check(model, report) {
    const globals = new Set(model.globalArgs.map((a) => a.name));
    const known = [...globals, ...PREDEFINED_PLATFORM_ARGS];
    for (const stage of model.stages) {
      for (const v of stage.syntax.from.variables) {
        if (globals.has(v.name) || PREDEFINED_PLATFORM_ARGS.has(v.name)) continue;
        const related: RelatedLocation[] = [];
        for (let i = 0; i < stage.index; i++) {
          const decl = model.stages[i].syntax.args.find((a) => a.name === v.name);
          if (decl) related.push({ range: decl.range, message: `ARG ${v.name} is declared inside ${stageLabel(model, i)}, where only that stage sees it` });
        }
        let message: string;
        if (related.length > 0) {
          message = `FROM argument '${v.name}' is declared only inside a stage: a FROM line sees only ARGs declared before the first FROM. Move "ARG ${v.name}" above the first FROM.`;
        } else {
          // BuildKit suggests the closest declared or predefined name within Levenshtein distance 2,
          // case-sensitively (util/suggest WrapErrorMaybe).
          let suggestion: string | undefined;
          let best = 3;
          for (const k of known) {
            const d = levenshteinDistance(v.name, k);
            if (d < best) [best, suggestion] = [d, k];
          }
          message = `FROM argument '${v.name}' is not declared: it expands to an empty string unless passed with --build-arg.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`;
        }
        report({ message, range: v.range, related, data: { name: v.name } });
      }
    }
  },
};
