import { Rule } from './rule';

/**
 * A `--from` that BuildKit's flag parser rejects before anything is built
 * (frontend/dockerfile/instructions/bflag.go, BFlags.Parse): `COPY --from build /a /b` has no `=`
 * ("Missing a value on flag: from"; `build` would be read as a source), and a second `--from` on
 * one COPY is "Duplicate flag specified: from". The fix for the first joins the flag and the word
 * after it, when the COPY keeps a source and a destination without it.
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
    if (finding.data?.join !== true) return [];
    for (const stage of model.stages) {
      for (const issue of stage.syntax.fromFlagIssues) {
        const word = issue.nextWord;
        if (issue.kind !== 'missing-value' || !word) continue;
        if (issue.range.start.line !== finding.range.start.line || issue.range.start.character !== finding.range.start.character) continue;
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
