/**
 * Parses a whole Dockerfile as a list of pieces cut at FROM lines, and reuses the parse of
 * every piece whose text did not change since the last version.
 *
 * Why this is exact: dockerfile-ast (like BuildKit's parser) reads instructions in order and
 * carries no state from one instruction to the next except an open line continuation or an
 * open here-document, plus the escape character from the directives at the top. A piece is
 * parsed with the file's escape character and a sentinel FROM line after it; when the sentinel
 * comes back as a FROM instruction the parser was in its initial state at the cut, so the next
 * piece parses the same on its own as inside the whole file. When it does not (the cut was
 * inside a heredoc or a continuation), the piece is merged with the next one and parsed again.
 */
import { parsePiece, ParsedPiece } from './extract';
import { Directive, PreambleSyntax, StageSyntax, shiftPreamble, shiftStageSyntax } from './syntax';

export interface ParsedDocument {
  escapeChar: string;
  directives: Directive[];
  preamble: PreambleSyntax;
  stages: StageSyntax[];
  lineCount: number;
  /** Pieces parsed for this version (not taken from the cache): 0 when nothing changed. */
  piecesParsed: number;
}

interface CachedPiece {
  /** The parse, with positions for the line the piece was first parsed at. */
  parsed: ParsedPiece;
  /** The line the piece was last seen at, and its stages with positions for that line. */
  shiftedAt: number;
  shiftedStages: StageSyntax[];
  shiftedPreamble: PreambleSyntax;
}

/**
 * Per-document cache of parsed pieces. Each parse keeps only the pieces the new version used,
 * so memory follows the current text, not the edit history.
 */
export class PieceCache {
  private pieces = new Map<string, CachedPiece>();
  private next = new Map<string, CachedPiece>();

  lookup(key: string): CachedPiece | undefined {
    const hit = this.pieces.get(key) ?? this.next.get(key);
    if (hit) this.next.set(key, hit);
    return hit;
  }

  store(key: string, piece: CachedPiece): void {
    this.next.set(key, piece);
  }

  /** Ends one document version: forget the pieces it did not use. */
  commit(): void {
    this.pieces = this.next;
    this.next = new Map();
  }

  get size(): number {
    return this.pieces.size;
  }
}

/**
 * Whether the line at `pos` may start a FROM instruction: `FROM` after optional blanks, then a
 * blank, the end of the line, or an escape character (either kind) that continues the line.
 * `FROM\x` is an instruction named `FROM\x`, not a FROM.
 */
function isFromLine(text: string, pos: number): boolean {
  const n = text.length;
  let i = pos;
  while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (!(i + 4 <= n && (text.charCodeAt(i) | 0x20) === 102 /* f */ && (text.charCodeAt(i + 1) | 0x20) === 114 /* r */ &&
    (text.charCodeAt(i + 2) | 0x20) === 111 /* o */ && (text.charCodeAt(i + 3) | 0x20) === 109 /* m */)) return false;
  const c = i + 4 < n ? text.charCodeAt(i + 4) : 10;
  if (c === 32 || c === 9 || c === 10 || c === 13) return true;
  if (c !== 92 /* \ */ && c !== 96 /* ` */) return false;
  let j = i + 5;
  while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
  return j >= n || text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13;
}

/**
 * The offset where each line starts, and (with `withCandidates`) the lines after the first that
 * may start a FROM. Lines end at \n, \r\n or a lone \r, as in LSP and dockerfile-ast.
 */
function candidateLines(text: string, withCandidates: boolean): { lineStarts: number[]; candidates: number[] } {
  const lineStarts = [0];
  const candidates: number[] = [];
  let nextCr = text.indexOf('\r');
  let nextLf = text.indexOf('\n');
  for (let pos = 0, line = 0; ; line++) {
    if (withCandidates && line > 0 && isFromLine(text, pos)) candidates.push(line);
    if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf('\r', pos);
    if (nextLf !== -1 && nextLf < pos) nextLf = text.indexOf('\n', pos);
    if (nextCr !== -1 && (nextLf === -1 || nextCr < nextLf)) pos = nextCr + (nextLf === nextCr + 1 ? 2 : 1);
    else if (nextLf !== -1) pos = nextLf + 1;
    else break;
    lineStarts.push(pos);
  }
  return { lineStarts, candidates };
}

/**
 * Parses `text`. With a cache, pieces whose text is unchanged are not parsed again. Without
 * one (or with `whole`), the text is parsed as a single piece: the reference result that the
 * piecewise parse must equal.
 */
export function parseDocument(text: string, cache?: PieceCache, options: { whole?: boolean } = {}): ParsedDocument {
  const steps = parseSteps(text, cache, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The parse as steps: the generator yields after each piece it parses, so that a caller can let
 * other work run (and give up) in between; parseDocument runs it through at once.
 */
export function* parseSteps(text: string, cache?: PieceCache, options: { whole?: boolean } = {}): Generator<void, ParsedDocument> {
  if (LONE_CR.test(text)) return parseWithLoneCarriageReturns(text);
  const { lineStarts, candidates } = candidateLines(text, !options.whole);
  const lineCount = lineStarts.length;
  let cuts = [0, ...candidates, lineCount];
  const local = cache ?? new PieceCache();
  const doc: ParsedDocument = {
    escapeChar: '\\',
    directives: [],
    preamble: { instructions: [], args: [] },
    stages: [],
    lineCount,
    piecesParsed: 0,
  };
  const offsetOf = (line: number) => (line >= lineStarts.length ? text.length : lineStarts[line]);

  let escape: string | undefined;
  let start = 0; // index into cuts
  // The piece before the current one, to join with it when the cut between them is no FROM;
  // joins in a row take twice as many cuts away each time (`FROM\` + `RUN x`, a FROM-looking line
  // that the next line joins into another word, repeated thousands of times, stays linear).
  let previous = { start: -1, stages: 0 };
  let joinGrow = 1;
  let joined = false;
  while (start < cuts.length - 1) {
    let end = start + 1;
    // A piece that ends inside a construct (a heredoc, a continuation) takes the next pieces in,
    // twice as many each time: a construct over thousands of FROM-looking lines (`FROM a \`
    // repeated, an unterminated heredoc) costs a few parses of its size, not one per line.
    let grow = 1;
    let entry: CachedPiece;
    for (;;) {
      const isLast = end === cuts.length - 1;
      const pieceText = text.slice(offsetOf(cuts[start]), offsetOf(cuts[end]));
      const key = `${escape ?? ''}\u0000${isLast ? 1 : 0}\u0000${pieceText}`;
      const found = local.lookup(key);
      if (found) {
        entry = found;
      } else {
        // Parsed straight at its place in the file: no copy is needed until the piece moves.
        const at = cuts[start];
        const parsed = parsePiece(pieceText, escape, !isLast, at);
        doc.piecesParsed++;
        entry = { parsed, shiftedAt: at, shiftedStages: parsed.stages, shiftedPreamble: parsed.preamble };
        local.store(key, entry);
        yield;
      }
      if (entry.parsed.endsClean || isLast) break;
      end = Math.min(cuts.length - 1, end + grow);
      grow *= 2;
    }
    const line = cuts[start];
    if (entry.shiftedAt !== line) {
      const by = line - entry.shiftedAt;
      entry.shiftedStages = entry.shiftedStages.map((s) => shiftStageSyntax(s, by));
      entry.shiftedPreamble = shiftPreamble(entry.shiftedPreamble, by);
      entry.shiftedAt = line;
    }
    if (start === 0) {
      escape = entry.parsed.escapeChar;
      doc.escapeChar = escape;
      doc.directives = entry.parsed.directives;
      doc.preamble = entry.shiftedPreamble;
      // Now that the escape character is known, a line `FROM` continued with the other one is
      // no FROM (`FROM\` in a file whose escape is a backtick is an instruction named `FROM\`).
      const other = escape === '`' ? 92 : 96;
      cuts = cuts.filter((c, i) => i <= end || i === cuts.length - 1 || !continuedWith(text, offsetOf(c), other));
    } else if (entry.shiftedPreamble.instructions.length > 0) {
      // The cut is no FROM to the parser after all: join this piece with the one before it.
      cuts.splice(start, Math.min(joinGrow, cuts.length - 1 - start));
      joinGrow *= 2;
      joined = true;
      doc.stages.length -= previous.stages;
      start = Math.max(0, previous.start);
      previous = { start: -1, stages: 0 };
      continue;
    }
    // A piece that was not made by a join ends a run of joins.
    if (!joined) joinGrow = 1;
    joined = false;
    previous = { start, stages: entry.shiftedStages.length };
    for (const s of entry.shiftedStages) doc.stages.push(s);
    start = end;
  }
  local.commit();
  return doc;
}

/** Whether the FROM line at `pos` is continued with the character `escape` (a code). */
function continuedWith(text: string, pos: number, escape: number): boolean {
  let i = pos;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return text.charCodeAt(i + 4) === escape;
}

/** A carriage return that does not start a CRLF. */
const LONE_CR = /\r(?!\n)/;

/**
 * BuildKit splits lines at \n only (parser.go scanLines), so a lone \r is a blank inside a line
 * to it (the separators of words include \r), while editors and LSP positions break the line
 * there. Such a file is parsed with each lone \r made a space, whole (it is rare, and the
 * pieces' cache would need the same care), and every position is then carried back to the
 * lines the editor counts: same offsets, other line breaks.
 */
function parseWithLoneCarriageReturns(text: string): ParsedDocument {
  const parsed = parseDocument(text.replace(/\r(?!\n)/g, ' '), undefined, { whole: true });
  const from = candidateLines(text.replace(/\r(?!\n)/g, ' '), false).lineStarts;
  const to = candidateLines(text, false).lineStarts;
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    const p = value as { line?: unknown; character?: unknown };
    if (typeof p.line === 'number' && typeof p.character === 'number') {
      const offset = (from[p.line] ?? text.length) + p.character;
      let lo = 0;
      let hi = to.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (to[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      p.line = lo;
      p.character = offset - to[lo];
      return;
    }
    for (const v of Array.isArray(value) ? value : Object.values(value)) visit(v);
  };
  visit(parsed.stages);
  visit(parsed.preamble);
  visit(parsed.directives);
  parsed.lineCount = to.length;
  return parsed;
}
