import { sameRange } from '../analysis/positions';
import { CodeFix, Rule } from './rule';

/**
 * BuildKit lint MaintainerDeprecated (instructions/parse.go ParseInstruction, the MAINTAINER
 * case): MAINTAINER sets the image's Author field, which is deprecated; a label says the same.
 * Message: "Maintainer instruction is deprecated in favor of using label", on the instruction.
 */
export const maintainerDeprecated: Rule = {
  code: 'MaintainerDeprecated',
  buildkitCheck: true,
  severity: 'warning',
  description: 'The MAINTAINER instruction is deprecated, use a label instead to define an image author.',
  check(model, report) {
    for (const ins of [...model.preamble, ...model.stages.flatMap((s) => s.syntax.instructions)]) {
      if (ins.keyword !== 'MAINTAINER') continue;
      report({ message: 'Maintainer instruction is deprecated in favor of using label: write LABEL maintainer="…" (or org.opencontainers.image.authors).', range: ins.range });
    }
  },
  /**
   * `LABEL maintainer="…"` (preferred, as the Dockerfile reference suggests) or
   * `LABEL org.opencontainers.image.authors="…"` in its place, the value quoted so that the
   * label reads it as MAINTAINER did (a label's value is expanded: `"`, `$` and the escape
   * character are escaped). Only for a MAINTAINER on one line. Not for fix-all: the image gets a
   * label instead of its Author field.
   */
  fixes(model, finding) {
    const ins = [...model.preamble, ...(model.stageAt(finding.range.start)?.syntax.instructions ?? [])].find((i) => i.keyword === 'MAINTAINER' && sameRange(i.range, finding.range));
    const value = ins?.facts?.args?.text;
    if (!ins || value === undefined || ins.range.start.line !== ins.range.end.line) return [];
    const escape = model.escapeChar;
    const quoted = `"${Array.from(value).map((c) => (c === '"' || c === '$' || c === escape ? escape + c : c)).join('')}"`;
    const label = ins.keywordText === ins.keywordText.toLowerCase() ? 'label' : 'LABEL';
    const fix = (key: string, isPreferred: boolean): CodeFix => ({
      title: `Replace with ${label} ${key}=…`,
      kind: 'quickfix',
      edits: [{ range: ins.range, newText: `${label} ${key}=${quoted}` }],
      ...(isPreferred ? { isPreferred: true } : {}),
    });
    return [fix('maintainer', true), fix('org.opencontainers.image.authors', false)];
  },
};
