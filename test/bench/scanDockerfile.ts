/**
 * A plain line scanner for the benchmark fixtures, independent of the server's parser: it finds the
 * positions the benchmark asks about and the answers a correct server must give there.
 *
 * Understands `FROM [--flag...] <image> [AS <name>]`, `--from=<name>` flags and `from=<name>` inside
 * `--mount=` flags (also on continuation lines), comments, and heredoc bodies (skipped).
 * Stage names compare case-insensitively, as in BuildKit.
 */

export interface Pos {
  line: number;
  character: number;
}

export interface StageDecl {
  name: string;
  line: number;
  nameCol: number;
}

export type RefKind = 'as' | 'from-base' | 'from-flag' | 'mount-from';

export interface NameRef {
  name: string;
  line: number;
  col: number;
  kind: RefKind;
}

export interface Scan {
  lines: string[];
  stages: StageDecl[];
  /** Every place that names a stage (declarations included); FROM <image> only when it is a stage. */
  refs: NameRef[];
  /** Comment lines outside heredocs and instructions (parser directives excluded). */
  commentLines: number[];
  /** The base of every FROM, stage or image, in order. */
  bases: NameRef[];
}

export function scanDockerfile(text: string): Scan {
  const lines = text.split(/\r?\n/);
  const stages: StageDecl[] = [];
  const candidates: NameRef[] = [];
  const commentLines: number[] = [];
  let heredocEnd: string | undefined;
  let continued = false;
  let seenInstruction = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (heredocEnd !== undefined) {
      if (line.trim() === heredocEnd) heredocEnd = undefined;
      continue;
    }
    if (/^\s*#/.test(line)) {
      const directive = !seenInstruction && /^#\s*[a-z]+\s*=/i.test(line);
      if (!continued && !directive) commentLines.push(i);
      continue;
    }
    if (line.trim() !== '') seenInstruction = true;
    const startsInstruction = !continued;
    continued = /\\\s*$/.test(line);
    if (startsInstruction) {
      const heredoc = /^\s*(?:RUN|COPY|ADD)\b.*<<-?["']?([A-Za-z_][A-Za-z0-9_]*)["']?/i.exec(line);
      if (heredoc) heredocEnd = heredoc[1];
      const from = /^(\s*FROM\s+)((?:--\S+\s+)*)(\S+)(?:(\s+AS\s+)(\S+))?/i.exec(line);
      if (from) {
        const baseCol = from[1].length + from[2].length;
        candidates.push({ name: from[3], line: i, col: baseCol, kind: 'from-base' });
        if (from[5] !== undefined) {
          const nameCol = baseCol + from[3].length + from[4].length;
          stages.push({ name: from[5], line: i, nameCol });
          candidates.push({ name: from[5], line: i, col: nameCol, kind: 'as' });
        }
        continue;
      }
    }
    for (const m of line.matchAll(/(^|\s)--from=([^\s\\]+)/g)) {
      candidates.push({ name: m[2], line: i, col: (m.index ?? 0) + m[1].length + '--from='.length, kind: 'from-flag' });
    }
    for (const m of line.matchAll(/(^|\s)--mount=(\S+)/g)) {
      const optionsStart = (m.index ?? 0) + m[1].length + '--mount='.length;
      let offset = 0;
      for (const option of m[2].split(',')) {
        if (option.toLowerCase().startsWith('from=')) {
          const value = option.slice('from='.length).replace(/\\$/, '');
          if (value) candidates.push({ name: value, line: i, col: optionsStart + offset + 'from='.length, kind: 'mount-from' });
        }
        offset += option.length + 1;
      }
    }
  }
  const declared = new Set(stages.map((s) => s.name.toLowerCase()));
  const refs = candidates.filter((r) => r.kind !== 'from-base' || declared.has(r.name.toLowerCase()));
  const bases = candidates.filter((r) => r.kind === 'from-base');
  return { lines, stages, refs, commentLines, bases };
}

export interface BenchTargets {
  /** Inside the stage name of the last `--from=<name>` of the file (definition, references, rename...). */
  name: Pos;
  stageName: string;
  /** Right after that `--from=` (completion of stage names). */
  afterFrom: Pos;
  /** The `AS <name>` declaration the definition must land on. */
  declaration: StageDecl;
  /** Number of places that name the stage: declaration, FROM <name>, --from=<name>, mount from=<name>. */
  occurrences: number;
  /** End of a comment line near the middle of the file: one-character edits go there. */
  edit: Pos;
}

export function benchTargets(scan: Scan): BenchTargets {
  const fromFlags = scan.refs.filter((r) => r.kind === 'from-flag');
  if (fromFlags.length === 0) throw new Error('fixture has no --from=<name>');
  // A real file may end on `--from=<image>`: the last one that names a stage.
  const last = lastOf(fromFlags, (r) => declarationOf(scan, r.name) !== undefined);
  if (!last) throw new Error(`fixture: no --from=<name> names a stage`);
  const key = last.name.toLowerCase();
  const declaration = declarationOf(scan, last.name)!;
  const occurrences = scan.refs.filter((r) => r.name.toLowerCase() === key).length;
  const editLine = middleComment(scan, last.line);
  if (editLine === undefined) throw new Error('fixture has no comment line to edit');
  return {
    name: inside(last),
    stageName: last.name,
    afterFrom: { line: last.line, character: last.col },
    declaration,
    occurrences,
    edit: { line: editLine, character: scan.lines[editLine].length },
  };
}

function lastOf<T>(list: readonly T[], ok: (x: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (ok(list[i])) return list[i];
  return undefined;
}

function declarationOf(scan: Scan, name: string): StageDecl | undefined {
  const key = name.toLowerCase();
  return scan.stages.find((s) => s.name.toLowerCase() === key);
}

/** A position inside a name (its second character), where an editor's cursor would be. */
function inside(r: NameRef): Pos {
  return { line: r.line, character: r.col + Math.min(1, r.name.length - 1) };
}

/** The comment line nearest the middle of the file, other than `except`. */
function middleComment(scan: Scan, except: number): number | undefined {
  const middle = Math.floor(scan.lines.length / 2);
  let best: number | undefined;
  for (const line of scan.commentLines) {
    if (line === except) continue;
    if (best === undefined || Math.abs(line - middle) < Math.abs(best - middle)) best = line;
  }
  return best;
}

export interface RealTargets {
  /** What the requests point at: a stage reference, or the first FROM's image when the file has none. */
  kind: 'from-flag' | 'from-base' | 'mount-from' | 'image';
  name: string;
  /** Inside that name: definition, rename, hover. */
  at: Pos;
  /** The start of that name: completion. */
  start: Pos;
  /** The `AS <name>` line a definition must land on (stage references only). */
  declarationLine?: number;
  /** Where one character is typed, and which: `x` at the end of a comment, else at the end of the file. */
  edit: Pos;
  editText: string;
}

/**
 * Where the benchmark queries a real file: the last `--from=<stage>` if there is one, else the
 * last `FROM <stage>`, else the last `--mount=...,from=<stage>`, else the first FROM's image.
 * The edit goes at the end of the comment line nearest the middle; a file without comments gets
 * a `#` on its empty last line (a new comment line), or a line break when it has no last newline.
 */
export function realTargets(scan: Scan): RealTargets {
  const ref = (['from-flag', 'from-base', 'mount-from'] as const)
    .map((kind) => lastOf(scan.refs, (r) => r.kind === kind && declarationOf(scan, r.name) !== undefined))
    .find((r) => r !== undefined);
  const target = ref ?? scan.bases[0];
  const comment = middleComment(scan, target?.line ?? -1);
  const last = scan.lines.length - 1;
  const edit = comment !== undefined
    ? { pos: { line: comment, character: scan.lines[comment].length }, text: 'x' }
    : { pos: { line: last, character: scan.lines[last].length }, text: scan.lines[last] === '' ? '#' : '\n' };
  const origin = { line: 0, character: 0 };
  return {
    kind: ref ? (ref.kind as RealTargets['kind']) : 'image',
    name: target?.name ?? '',
    at: target ? inside(target) : origin,
    start: target ? { line: target.line, character: target.col } : origin,
    declarationLine: ref ? declarationOf(scan, ref.name)!.line : undefined,
    edit: edit.pos,
    editText: edit.text,
  };
}

/** `text` with `insert` at `at` (LF or CRLF lines). */
export function insertAt(text: string, at: Pos, insert: string): string {
  let offset = 0;
  for (let l = 0; l < at.line; l++) offset = text.indexOf('\n', offset) + 1;
  offset += at.character;
  return text.slice(0, offset) + insert + text.slice(offset);
}
