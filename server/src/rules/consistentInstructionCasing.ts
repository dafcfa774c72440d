import { sameRange } from '../analysis/positions';
import { InstructionSyntax } from '../analysis/syntax';
import { Rule, TextEdit } from './rule';

/** The instructions BuildKit knows (instructions/parse.go ParseInstruction); any other fails the build. */
const INSTRUCTIONS: ReadonlySet<string> = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/**
 * BuildKit lint ConsistentInstructionCasing (dockerfile2llb/validations.go validateCommandCasing,
 * validateCaseMatch): the instructions of the stages (each FROM and every instruction after it;
 * the global ARGs before the first FROM are not counted nor checked) are counted as lower case or
 * upper case (a mixed one like `Run` counts as neither); the majority wins, upper case on a tie,
 * and every instruction not written in it is reported, mixed ones included.
 * Message: "Command 'copy' should match the case of the command majority (uppercase)", on the
 * keyword (BuildKit: the instruction's lines).
 */
export const consistentInstructionCasing: Rule = {
  code: 'ConsistentInstructionCasing',
  buildkitCheck: true,
  severity: 'warning',
  description: 'All commands within the Dockerfile should use the same casing (either upper or lower).',
  check(model, report) {
    let lower = 0;
    let upper = 0;
    const all: InstructionSyntax[] = [];
    for (const stage of model.stages) {
      for (const ins of stage.syntax.instructions) {
        if (!INSTRUCTIONS.has(ins.keyword)) continue;
        all.push(ins);
        const k = ins.keywordText;
        if (k === k.toLowerCase()) lower++;
        else if (k === k.toUpperCase()) upper++;
      }
    }
    const majorityLower = lower > upper;
    for (const ins of all) {
      const k = ins.keywordText;
      const expected = majorityLower ? k.toLowerCase() : k.toUpperCase();
      if (k === expected) continue;
      report({
        message: `Command '${k}' should match the case of the command majority (${majorityLower ? 'lowercase' : 'uppercase'}): write '${expected}'.`,
        range: ins.keywordRange,
        data: { replacement: expected },
      });
    }
  },
  /**
   * Writes the keyword in the majority's case (and the `AS` of a FROM with it, so that
   * FromAsCasing agrees afterwards): keywords are case-insensitive, so the build is the same and
   * the fix is safe for fix-all.
   */
  hasFixAll: true,
  fixes(model, finding) {
    const replacement = finding.data?.replacement;
    if (typeof replacement !== 'string') return [];
    const stage = model.stageAt(finding.range.start);
    const ins = stage?.syntax.instructions.find((i) => sameRange(i.keywordRange, finding.range));
    if (!stage || !ins || ins.keywordText.toUpperCase() !== replacement.toUpperCase()) return [];
    const edits: TextEdit[] = [{ range: finding.range, newText: replacement }];
    const as = stage.syntax.from.asKeyword;
    if (ins.keyword === 'FROM' && as && sameRange(stage.syntax.from.keywordRange, ins.keywordRange)) {
      edits.push({ range: as.range, newText: replacement === replacement.toLowerCase() ? 'as' : 'AS' });
    }
    return [{ title: `Write '${replacement}'`, kind: 'quickfix', edits, isPreferred: true, fixAll: true }];
  },
};
