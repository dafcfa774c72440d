import { comparePositions } from '../analysis/positions';
import { Rule } from './rule';
import { exposePorts } from './exposePorts';

/**
 * BuildKit lint ExposeProtoCasing (dockerfile2llb/convert_expose.go parsePort): a protocol written
 * in upper case (`80/TCP`); BuildKit lower-cases it, so the image is the same, but the check asks
 * for the lower case.
 * Message: "Defined protocol '80/TCP' in EXPOSE instruction should be lowercase", on the port.
 */
export const exposeProtoCasing: Rule = {
  code: 'ExposeProtoCasing',
  buildkitCheck: true,
  severity: 'warning',
  description: 'Protocol in EXPOSE instruction should be lowercase.',
  check(model, report) {
    for (const p of exposePorts(model)) {
      if (p.proto === p.proto.toLowerCase()) continue;
      report({
        message: `Defined protocol '${p.value}' in EXPOSE instruction should be lowercase: write ${p.proto.toLowerCase()}.`,
        range: p.word.range,
      });
    }
  },
  /** Lower-cases the protocol: BuildKit lower-cases it anyway, so the image is the same (safe for fix-all). */
  hasFixAll: true,
  fixes(model, finding) {
    const p = exposePorts(model).find((x) => comparePositions(x.word.range.start, finding.range.start) === 0);
    if (!p || p.protoAt === -1 || p.word.range.start.line !== p.word.range.end.line) return [];
    const start = { line: p.word.range.start.line, character: p.word.range.start.character + p.protoAt };
    const end = { line: start.line, character: start.character + p.proto.length };
    return [{ title: `Write ${p.proto.toLowerCase()}`, kind: 'quickfix', edits: [{ range: { start, end }, newText: p.proto.toLowerCase() }], isPreferred: true, fixAll: true }];
  },
};
