/**
 * Data-driven test cases: a Dockerfile with inline markers is the test.
 *
 * A cases file (`test/fixtures/<suite>/*.cases`) holds cases that start with a line
 * `=== name` and may have sections that start with `--- header` (for example the expected
 * text after a rename). In a case body:
 * - `$0` marks the cursor and is removed;
 * - a marker line, `#` (or nothing) then blanks, carets and a label, marks a range on the
 *   line above it (the carets' columns are the range's columns) and is removed:
 *       COPY --from=build /out /out
 *       #           ^^^^^ ref
 * A `--- spans` section marks ranges over several lines, `LINE:CHAR-LINE:CHAR label` each.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Position, Range } from '../../server/src/analysis/positions';

export interface Mark {
  label: string;
  range: Range;
}

export interface MarkedText {
  text: string;
  cursor: Position | undefined;
  marks: Mark[];
}

export interface Section {
  header: string;
  body: string;
}

export interface FixtureCase extends MarkedText {
  file: string;
  name: string;
  sections: Section[];
}

const MARKER_LINE = /^#?( *)(\^+)[ \t]+(\S.*?)\s*$/;

export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}

/** The real-world corpus: ../shared/corpus/real from the repository root (where CI puts it). */
export function corpusDir(): string {
  return path.join(repoRoot(), '..', 'shared', 'corpus', 'real');
}

/**
 * The paths of the corpus's Dockerfiles (every file there but its .md and .tsv notes), in name
 * order; none if the corpus is not there.
 */
export function corpusFiles(): string[] {
  const dir = corpusDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => !f.endsWith('.tsv') && !f.endsWith('.md') && fs.statSync(path.join(dir, f)).isFile())
    .sort()
    .map((f) => path.join(dir, f));
}

/** The texts of the corpus's Dockerfiles, in name order; none if the corpus is not there. */
export function corpusTexts(): string[] {
  return corpusFiles().map((f) => fs.readFileSync(f, 'utf8'));
}

export function fixturePath(...parts: string[]): string {
  return path.join(repoRoot(), 'test', 'fixtures', ...parts);
}

/** Strips the markers from `body` and returns the Dockerfile text with what they marked. */
export function parseMarked(body: string): MarkedText {
  const lines = body.split('\n');
  const out: string[] = [];
  const marks: Mark[] = [];
  let cursor: Position | undefined;
  for (const raw of lines) {
    const m = MARKER_LINE.exec(raw);
    if (m && out.length > 0) {
      const line = out.length - 1;
      const start = raw.indexOf('^');
      marks.push({ label: m[3], range: { start: { line, character: start }, end: { line, character: start + m[2].length } } });
      continue;
    }
    let line = raw;
    const at = line.indexOf('$0');
    if (at !== -1) {
      cursor = { line: out.length, character: at };
      line = line.slice(0, at) + line.slice(at + 2);
    }
    out.push(line);
  }
  return { text: out.join('\n'), cursor, marks };
}

/** Reads every case of a cases file. */
export function loadCases(file: string): FixtureCase[] {
  const content = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  const cases: FixtureCase[] = [];
  let current: { name: string; body: string[]; sections: { header: string; body: string[] }[] } | undefined;
  const flush = () => {
    if (!current) return;
    const marked = parseMarked(trimBlankEnd(current.body).join('\n') + '\n');
    const sections = current.sections.map((s) => ({ header: s.header, body: trimBlankEnd(s.body).join('\n') + '\n' }));
    for (const s of sections) if (s.header === 'spans') marked.marks.push(...spanMarks(s.body, current.name));
    cases.push({ file, name: current.name, ...marked, sections });
  };
  for (const line of content.split('\n')) {
    if (line.startsWith('=== ')) {
      flush();
      current = { name: line.slice(4).trim(), body: [], sections: [] };
    } else if (line.startsWith('--- ') && current) {
      current.sections.push({ header: line.slice(4).trim(), body: [] });
    } else if (current) {
      const sections = current.sections;
      (sections.length > 0 ? sections[sections.length - 1].body : current.body).push(line);
    }
  }
  flush();
  return cases;
}

/**
 * The marks of a `--- spans` section: ranges a caret line cannot mark because they run over
 * several lines (a name continued on the next line), one per line as `LINE:CHAR-LINE:CHAR label`.
 */
function spanMarks(body: string, caseName: string): Mark[] {
  const marks: Mark[] = [];
  for (const line of body.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const m = /^(\d+):(\d+)-(\d+):(\d+) (\S.*)$/.exec(line);
    if (!m) throw new Error(`${caseName}: bad line in --- spans: ${line}`);
    marks.push({ label: m[5], range: { start: { line: +m[1], character: +m[2] }, end: { line: +m[3], character: +m[4] } } });
  }
  return marks;
}

/** Every `.cases` file of a suite folder. */
export function loadSuite(suite: string): FixtureCase[] {
  const dir = fixturePath(suite);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cases'))
    .sort()
    .flatMap((f) => loadCases(path.join(dir, f)));
}

function trimBlankEnd(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === '') end--;
  return lines.slice(0, end);
}

/** `l:c-l:c`, 0-based, for readable assertion messages. */
export function formatRange(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}
