import { LogicalLine } from '../../analysis/flagReader';
import { Range } from '../../analysis/positions';
import { InstructionSyntax } from '../../analysis/syntax';
import { SourceText, eolOf } from '../../edits/sourceText';
import { CodeFix, Rule, TextEdit } from '../rule';
import { SimpleCommand, copyFacts, isWholeTree, runCommands } from './commands';
import { DEPENDENCY_INSTALLS, DependencyInstall } from './ecosystems';

/**
 * `COPY . .` (or `ADD .`) before a dependency install in the same stage: every change to any
 * file of the build context invalidates the copy's layer, so the install below it runs again
 * on every build. Copying the manifests first (package.json and its lock file, go.mod and
 * go.sum, …), installing, then copying the rest keeps the install cached until the dependencies
 * change. A hint on the full copy; silent when the stage installed with that tool before it.
 *
 * The fix writes `COPY <manifests> <dest>` and the install above the full copy and takes the
 * install out of the RUN below: the whole RUN when it is only the install (moved as written,
 * with its flags), or the install and its `&&` when it comes first in the RUN. For Poetry and
 * Composer an early install that needs no sources (`--no-root`, `--no-scripts --no-autoloader`)
 * goes above and the install below stays (it then only adds the project itself). No fix for
 * Cargo (`cargo fetch` needs a target file next to Cargo.toml), nor for an install elsewhere
 * in a RUN.
 */
export const copyAllBeforeInstall: Rule = {
  code: 'CopyAllBeforeInstall',
  buildkitCheck: false,
  advisor: true,
  severity: 'hint',
  description: 'COPY . . before a dependency install: any change to any file reinstalls the dependencies. Copy the manifests and install first.',
  check(model, report) {
    for (const stage of model.stages) {
      const found = fullCopyThenInstall(stage.syntax.instructions, model.escapeChar);
      if (!found) continue;
      const { copy, run, install } = found;
      report({
        message: `${copy.keywordText} ${copy.summary} brings in the whole build context before ${install.tool} installs the dependencies (line ${run.range.start.line + 1}): a change to any file runs the install again. Copy ${install.manifests.join(' ')} first, install, then copy the rest, so that the install stays cached until the dependencies change.`,
        range: copy.range,
        related: [{ range: run.range, message: `${install.tool} installs the dependencies here, after the whole context is copied` }],
        data: { tool: install.tool },
      });
    }
  },
  fixes(model, finding, source) {
    const stage = model.stageAt(finding.range.start);
    if (!stage || !source) return [];
    const found = fullCopyThenInstall(stage.syntax.instructions, model.escapeChar);
    if (!found || found.copy.range.start.line !== finding.range.start.line || found.install.noFix) return [];
    const { copy, run, install, command, destination } = found;
    const eol = eolOf(source);
    const indent = source.indentation(copy.range.start.line);
    const upper = copy.keywordText !== copy.keywordText.toLowerCase();
    const kw = (k: string) => (upper ? k : k.toLowerCase());
    const dest = destination === '.' || destination === './' ? './' : destination.endsWith('/') ? destination : `${destination}/`;
    const lines = [`${indent}${kw('COPY')} ${install.manifests.join(' ')} ${dest}`];
    const edits: TextEdit[] = [];
    const commands = runCommands(run);
    if (install.early) {
      lines.push(`${indent}${kw('RUN')} ${install.early}`);
    } else if (commands.length === 1 && run.heredocs.length === 0) {
      // The RUN is the install alone: it moves up as written (flags, continuations and all).
      for (let l = run.range.start.line; l <= run.range.end.line; l++) lines.push(source.lineText(l).slice(source.prefixLength(l)));
      edits.push(deleteLines(source, run.range.start.line, run.range.end.line));
    } else if (commands[0]?.offset === command.offset && command.offset >= 0 && command.nextAfterAnd > 0 && run.heredocs.length === 0) {
      const taken = takeFirstCommand(source, run, model.escapeChar, command);
      if (!taken) return [];
      const flags = run.runFlags.map((f) => f.text).join(' ');
      lines.push(`${indent}${run.keywordText} ${flags ? `${flags} ` : ''}${command.text}`);
      edits.push(taken);
    } else {
      return [];
    }
    const at = { line: copy.range.start.line, character: source.prefixLength(copy.range.start.line) };
    edits.push({ range: { start: at, end: at }, newText: lines.join(eol) + eol });
    return [{ title: `Copy ${install.manifests.join(' ')} and install before copying everything`, kind: 'quickfix', edits, isPreferred: true }] satisfies CodeFix[];
  },
};

interface Found {
  copy: InstructionSyntax;
  destination: string;
  run: InstructionSyntax;
  install: DependencyInstall;
  command: SimpleCommand;
}

/** The first full copy of a stage and the first install after it that the stage had not run before it. */
function fullCopyThenInstall(instructions: readonly InstructionSyntax[], escapeChar: string): Found | undefined {
  const before = new Set<DependencyInstall>();
  let copy: InstructionSyntax | undefined;
  let destination = '';
  for (const ins of instructions) {
    if (!copy) {
      const c = copyFacts(ins, escapeChar);
      if (c && !c.fromStage && !c.heredoc && c.destination !== undefined && c.sources.some(isWholeTree)) {
        copy = ins;
        destination = c.destination;
        continue;
      }
    }
    for (const command of runCommands(ins)) {
      const install = DEPENDENCY_INSTALLS.find((d) => d.command.test(command.text));
      if (!install) continue;
      if (!copy) before.add(install);
      else if (!before.has(install)) return { copy, destination, run: ins, install, command };
    }
  }
  return undefined;
}

/** Deletes lines `from`..`to` whole, with their line break (the one before them at the end of the file). */
export function deleteLines(source: SourceText, from: number, to: number): TextEdit {
  if (to + 1 < source.lineCount) return { range: { start: { line: from, character: 0 }, end: { line: to + 1, character: 0 } }, newText: '' };
  const start = from > 0 ? { line: from - 1, character: source.lineText(from - 1).length } : { line: from, character: 0 };
  return { range: { start, end: { line: to, character: source.lineText(to).length } }, newText: '' };
}

/** Deletes a RUN's first command and the `&&` (and blanks, continuations) after it. */
function takeFirstCommand(source: SourceText, run: InstructionSyntax, escapeChar: string, command: SimpleCommand): TextEdit | undefined {
  const args = run.facts?.args;
  if (!args) return undefined;
  const lines: string[] = [];
  for (let l = 0; l <= run.range.end.line; l++) lines.push(l < run.range.start.line ? '' : source.lineText(l));
  const line = LogicalLine.read(lines, run.range.start, run.range.end.line, escapeChar);
  const at = line.text.indexOf(args.text);
  if (at === -1) return undefined;
  const range: Range = { start: line.positionAt(at + command.offset), end: line.positionAt(at + command.nextAfterAnd) };
  return { range, newText: '' };
}
