import { PREDEFINED_PLATFORM_ARGS } from '../analysis/stageModel';
import { levenshteinDistance } from '../analysis/stageNames';
import { ArgDeclaration } from '../analysis/syntax';
import { StageModel } from '../analysis/stageModel';
import { RelatedLocation, Rule, TextEdit } from './rule';
import { SourceText, insertLineAfter, insertLineBefore } from '../edits/sourceText';
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
  /**
   * When the ARG is declared inside an earlier stage: declare it before the first FROM too,
   * with the default of the nearest such declaration (the stage's own ARG stays: inside the
   * stage it still needs one). Not for fix-all: it changes what the FROM line builds from.
   */
  fixes(model, finding, source) {
    const name = finding.data?.name;
    const stage = model.stageAt(finding.range.start);
    if (typeof name !== 'string' || !stage) return [];
    let decl: ArgDeclaration | undefined;
    for (let i = stage.index - 1; i >= 0 && !decl; i--) {
      const args = model.stages[i].syntax.args.filter((a) => a.name === name);
      decl = args[args.length - 1];
    }
    if (!decl) return [];
    const line = decl.defaultValue === undefined ? `ARG ${name}` : `ARG ${name}=${argValue(decl.defaultValue)}`;
    return [{ title: `Declare ARG ${name} before the first FROM`, kind: 'quickfix', edits: [endOfPreamble(model, source, line)], isPreferred: true }];
  },
};

/** A default value written back: bare when it is one plain word, else double-quoted. */
function argValue(value: string): string {
  if (/^[^\s"'\\]*$/.test(value)) return value;
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * Inserts a line at the end of the global part: after the last instruction before the first
 * FROM, else before the first FROM — above the comment lines right over it (they describe the
 * stage), but never above the parser directives.
 */
function endOfPreamble(model: StageModel, source: SourceText | undefined, line: string): TextEdit {
  const last = model.preamble[model.preamble.length - 1];
  if (last) return insertLineAfter(source, last.range.end.line, line, model.lineCount, last.range.end);
  let at = model.stages[0].syntax.from.range.start.line;
  if (source) {
    const directivesEnd = model.directives.reduce((max, d) => Math.max(max, d.range.end.line), -1);
    while (at - 1 > directivesEnd && /^\s*#/.test(source.lineText(at - 1).slice(source.prefixLength(at - 1)))) at--;
  }
  return insertLineBefore(source, at, line);
}
