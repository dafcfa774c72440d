import { sameRange } from '../analysis/positions';
import { Rule } from './rule';

/**
 * A `--from` that BuildKit's flag parser rejects before anything is built
 * (frontend/dockerfile/instructions/bflag.go, BFlags.Parse): `COPY --from build /a /b` has no `=`
 * ("Missing a value on flag: from"; `build` would be read as a source), a second `--from` on
 * one COPY is "Duplicate flag specified: from", and `--FROM` is "unknown flag: FROM" (flag names
 * are compared as written). The fix for the first joins the flag and the word after it, when the
 * COPY keeps a source and a destination without it; the fix for the last writes `from`.
 */
export const invalidFromFlag: Rule = {
  code: 'InvalidFromFlag',
  buildkitCheck: false,
  severity: 'error',
  description: 'A --from flag BuildKit rejects: without `=`, or given twice on one COPY.',
  check(model, report) {
    for (const stage of model.stages) {
      for (const issue of stage.syntax.fromFlagIssues) {
        const where = issue.keyword === 'ONBUILD' ? 'ONBUILD COPY' : issue.keyword;
        if (issue.kind === 'duplicate') {
          report({ message: `${where} takes one --from; BuildKit stops at the second ("Duplicate flag specified: from").`, range: issue.range });
          continue;
        }
        if (issue.kind === 'casing') {
          const written = issue.nextWord!.text;
          report({
            message: `--${written} is not a flag of COPY: flag names are case-sensitive, so BuildKit stops here ("unknown flag: ${written}"). Write --from.`,
            range: issue.range,
            data: { casing: true },
          });
          continue;
        }
        const word = issue.nextWord;
        // A path (`/a`, `./a`) after the flag is a source, not a misplaced stage name.
        const joinable = word !== undefined && word.range.start.line === issue.range.end.line && /^[A-Za-z0-9_]/.test(word.text);
        report({
          message: joinable
            ? `--from needs '=': write --from=${word.text}. Without it BuildKit stops ("Missing a value on flag: from").`
            : `--from needs a value after '=' (--from=stage); BuildKit stops here ("Missing a value on flag: from").`,
          range: issue.range,
          data: joinable ? { join: true } : undefined,
        });
      }
    }
  },
  /** `--from build` → `--from=build`: what the line meant; offered when a source and a destination remain. */
  fixes(model, finding) {
    if (finding.data?.join !== true && finding.data?.casing !== true) return [];
    for (const stage of model.stages) {
      for (const issue of stage.syntax.fromFlagIssues) {
        const word = issue.nextWord;
        if (!word || !sameRange(issue.range, finding.range)) continue;
        if (issue.kind === 'casing') {
          return [{ title: 'Write --from', kind: 'quickfix', edits: [{ range: word.range, newText: 'from' }], isPreferred: true }];
        }
        if (issue.kind !== 'missing-value') continue;
        // A COPY needs a source and a destination besides the stage name.
        if (issue.argumentCount < 3) return [];
        return [{
          title: `Write --from=${word.text}`,
          kind: 'quickfix',
          edits: [{ range: { start: issue.range.end, end: word.range.start }, newText: '=' }],
          isPreferred: true,
        }];
      }
    }
    return [];
  },
};
