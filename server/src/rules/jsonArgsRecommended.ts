import { sameRange } from '../analysis/positions';
import { Rule } from './rule';
import { ancestorsWith } from './stageChain';

/**
 * BuildKit lint JSONArgsRecommended (dockerfile2llb/convert.go dispatchCmd, dispatchEntrypoint):
 * a CMD or ENTRYPOINT in shell form (not a JSON array: parser/line_parsers.go parseMaybeJSON) runs
 * under `/bin/sh -c`, which does not pass signals on to the program; reported unless a SHELL is
 * set for the stage by then (in the stage before it, or in a stage it is built FROM: the image
 * config's Shell, which dispatchShell sets). A base image's own Shell is not known here.
 * Message: "JSON arguments recommended for CMD to prevent unintended behavior related to OS
 * signals", on the arguments.
 */
export const jsonArgsRecommended: Rule = {
  code: 'JSONArgsRecommended',
  buildkitCheck: true,
  severity: 'warning',
  description: 'JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals.',
  check(model, report) {
    const inherited = ancestorsWith(model, 'SHELL');
    for (const stage of model.stages) {
      let shell = inherited[stage.index];
      for (const ins of stage.syntax.instructions) {
        if (ins.keyword === 'SHELL') shell = true;
        if ((ins.keyword !== 'CMD' && ins.keyword !== 'ENTRYPOINT') || shell || ins.facts?.json !== false) continue;
        const args = ins.facts.args;
        // Offered only on one line: a rewrite over a continuation would drop its comment lines.
        const words = args && args.range.start.line === args.range.end.line ? execWords(args.text) : undefined;
        report({
          message: `JSON arguments recommended for ${ins.keywordText} to prevent unintended behavior related to OS signals: in shell form the command runs under /bin/sh -c, which does not pass signals such as SIGTERM on.`,
          range: args?.range ?? ins.keywordRange,
          data: words ? { words } : undefined,
        });
      }
    }
  },
  /**
   * The exec form, when the shell form is plain words that mean the same without a shell: no
   * quotes, escapes, variables, globs, redirections or other operators, no assignment in front,
   * and no shell built-in as the program. Otherwise nothing is offered. Not for fix-all: the
   * program then runs without a shell, which is the point, and changes what the container does.
   */
  fixes(model, finding) {
    const words = finding.data?.words;
    if (!Array.isArray(words) || words.length === 0) return [];
    const stage = model.stageAt(finding.range.start);
    const ins = stage?.syntax.instructions.find((i) => i.facts?.args && sameRange(i.facts.args.range, finding.range));
    if (!ins) return [];
    const json = `[${(words as string[]).map((w) => JSON.stringify(w)).join(', ')}]`;
    return [{ title: `Write ${ins.keywordText} in JSON (exec) form: ${json}`, kind: 'quickfix', edits: [{ range: finding.range, newText: json }], isPreferred: true }];
  },
};

/** A word the shell reads as itself: no quote, escape, variable, glob, operator or comment. */
const PLAIN_WORD = /^[A-Za-z0-9_./:@%+,=-]+$/;

/** Built-ins and keywords of the shell that no image has as a program of that name. */
const SHELL_ONLY = new Set([
  '.', 'alias', 'bg', 'break', 'case', 'cd', 'command', 'continue', 'do', 'done', 'elif', 'else', 'esac', 'eval', 'exec',
  'exit', 'export', 'fg', 'fi', 'for', 'function', 'getopts', 'hash', 'if', 'jobs', 'local', 'read', 'readonly', 'return',
  'select', 'set', 'shift', 'source', 'then', 'time', 'trap', 'type', 'ulimit', 'umask', 'unalias', 'unset', 'until',
  'wait', 'while',
]);

/** The words of a shell-form command when it splits into plain words unambiguously, else undefined. */
function execWords(text: string): string[] | undefined {
  const words = text.split(/[ \t]+/).filter((w) => w !== '');
  if (words.length === 0 || !words.every((w) => PLAIN_WORD.test(w))) return undefined;
  // `A=b cmd` sets a variable for the command; a program named `A=b` is not what was meant.
  if (words[0].includes('=') || SHELL_ONLY.has(words[0])) return undefined;
  return words;
}
