/**
 * What the advisor reads off a stage: its RUN commands cut into simple commands, the files its
 * COPY and ADD instructions bring in, and the working folder each instruction runs in. A
 * light reading of shell text, enough to recognise `go build -o /out/app` or `npm ci`: no
 * expansion, one pass over each command, so any text (half-typed, huge) costs linear time.
 */
import { unquoteWord } from '../../analysis/fromVariables';
import { InstructionSyntax } from '../../analysis/syntax';
import { Stage } from '../../analysis/stageModel';

/** A simple command, with the offset of its first character in the RUN's argument text. */
export interface SimpleCommand {
  text: string;
  /** Offset in the RUN's arguments (facts.args.text); -1 for a command of a here-document. */
  offset: number;
  /** Offset where the next command starts after the `&&` that ends this one (-1: none follows so). */
  nextAfterAnd: number;
}

/** Commands longer than this are cut: the patterns look at their first words. */
const MAX_COMMAND = 2_000;

/**
 * The simple commands of a shell text: cut at `&&`, `||`, `;`, `|`, `&` and line breaks outside
 * quotes, each trimmed, with leading `VAR=value` assignments and `sudo`/`exec`/`time` taken off
 * (the command's word comes first then).
 */
export function simpleCommands(text: string, fromScript = false): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let start = 0;
  let quote = '';
  const push = (end: number, next: number, and: boolean) => {
    // Cut before the prefixes are taken off: a command of ten thousand assignments stays cheap.
    const raw = text.slice(start, Math.min(end, start + 2 * MAX_COMMAND));
    const lead = raw.length - raw.trimStart().length;
    const body = stripPrefixes(raw.trim());
    if (body !== '') out.push({ text: body.slice(0, MAX_COMMAND), offset: fromScript ? -1 : start + lead, nextAfterAnd: and ? next : -1 });
    start = next;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      // A comment runs to the end of the line.
      const nl = text.indexOf('\n', i);
      push(i, nl === -1 ? text.length : nl, false);
      i = nl === -1 ? text.length : nl;
      start = i + 1;
      continue;
    }
    if ((c === '&' || c === '|') && text[i + 1] === c) {
      let next = i + 2;
      while (next < text.length && /\s/.test(text[next])) next++;
      push(i, next, c === '&');
      i++;
      continue;
    }
    if (c === ';' || c === '|' || c === '&' || c === '\n') push(i, i + 1, false);
  }
  push(text.length, text.length, false);
  return out;
}

const PREFIX = /^(?:[({]\s*|(?:sudo|exec|time|command)\s+|[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\S*)\s+)/;

function stripPrefixes(s: string): string {
  // Each round takes off one prefix; a command has a few at most.
  for (let m = PREFIX.exec(s); m && m[0].length < s.length; m = PREFIX.exec(s)) s = s.slice(m[0].length);
  return s;
}

/** The simple commands of a RUN: its shell-form arguments and the scripts of its here-documents. */
export function runCommands(ins: InstructionSyntax): SimpleCommand[] {
  if (ins.keyword !== 'RUN') return [];
  const args = ins.facts?.args?.text ?? '';
  const exec = execForm(args);
  const out = exec ? [{ text: stripPrefixes(exec.join(' ').slice(0, 2 * MAX_COMMAND)).slice(0, MAX_COMMAND), offset: -1, nextAfterAnd: -1 }] : simpleCommands(args);
  if (ins.facts?.script) out.push(...simpleCommands(ins.facts.script, true));
  return out;
}

/** The words of an exec-form (JSON array) instruction, or undefined for the shell form. */
export function execForm(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The words of a simple command, quotes removed (no expansion). */
export function commandWords(command: string): string[] {
  const words: string[] = [];
  for (const m of command.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

/** The value of a flag (`-o out`, `-o=out`, `--output out`, `-oout` for single letters), if given. */
export function flagValue(words: readonly string[], names: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    for (const n of names) {
      if (w === n && i + 1 < words.length) found = words[i + 1];
      else if (w.startsWith(`${n}=`)) found = w.slice(n.length + 1);
    }
  }
  return found;
}

/** A folder path joined as the shell and WORKDIR join them (`..` and `.` resolved). */
export function joinPath(folder: string, p: string): string {
  const parts = (p.startsWith('/') ? p : `${folder}/${p}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/**
 * The working folder before each instruction of a stage, and after the last one (`/` when no
 * WORKDIR set it, as in most images; undefined once a WORKDIR holds a variable).
 */
export function workdirs(stage: Stage): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  let dir: string | undefined = '/';
  for (const ins of stage.syntax.instructions) {
    out.push(dir);
    if (ins.keyword === 'WORKDIR') {
      const raw = ins.facts?.args?.text;
      const value = raw === undefined ? undefined : unquoteWord(raw.trim());
      dir = value === undefined || value === '' || value.includes('$') || dir === undefined ? undefined : joinPath(dir, value);
    }
  }
  out.push(dir);
  return out;
}

/** A COPY or ADD's sources and destination as plain text (quotes removed), and whether it reads another stage. */
export interface CopyFacts {
  sources: string[];
  destination: string | undefined;
  fromStage: boolean;
  heredoc: boolean;
}

export function copyFacts(ins: InstructionSyntax, escapeChar: string): CopyFacts | undefined {
  if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') return undefined;
  const f = ins.facts;
  if (!f) return undefined;
  const plain = (t: string) => unquoteWord(t, escapeChar) ?? t;
  return {
    sources: (f.words ?? []).map((w) => plain(w.text)),
    destination: f.destination ? plain(f.destination.text) : undefined,
    fromStage: f.fromFlag === true,
    heredoc: ins.heredocs.length > 0,
  };
}

/** Whether a COPY source names the whole build context (or stage): `.`, `./`, `/`. */
export function isWholeTree(source: string): boolean {
  return /^(?:\.\/?|\.\/\.|\/)$/.test(source) || source === './.';
}
