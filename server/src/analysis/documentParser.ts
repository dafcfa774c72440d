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
  parsed: ParsedPiece;
  /** The stages moved to the last absolute line this piece was seen at. */
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

/** Lines that may start a FROM instruction: `FROM` after optional blanks, then a blank, escape or end. */
function candidateLines(text: string): { lineStarts: number[]; candidates: number[] } {
  const lineStarts = [0];
  const candidates: number[] = [];
  const n = text.length;
  let line = 0;
  let pos = 0;
  while (pos <= n) {
    let i = pos;
    while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i + 4 <= n && (text.charCodeAt(i) | 0x20) === 102 /* f */ && (text.charCodeAt(i + 1) | 0x20) === 114 /* r */ &&
      (text.charCodeAt(i + 2) | 0x20) === 111 /* o */ && (text.charCodeAt(i + 3) | 0x20) === 109 /* m */) {
      const c = i + 4 < n ? text.charCodeAt(i + 4) : 10;
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 92 /* \ */ || c === 96 /* ` */) {
        if (line > 0) candidates.push(line);
      }
    }
    const nl = text.indexOf('\n', pos);
    if (nl === -1) break;
    pos = nl + 1;
    line++;
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
  const { lineStarts, candidates } = options.whole ? { lineStarts: [0], candidates: [] } : candidateLines(text);
  const lineCount = options.whole ? text.split('\n').length : lineStarts.length;
  const cuts = [0, ...candidates, lineCount];
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
  while (start < cuts.length - 1) {
    let end = start + 1;
    let entry: CachedPiece;
    for (;;) {
      const isLast = end === cuts.length - 1;
      const pieceText = text.slice(offsetOf(cuts[start]), offsetOf(cuts[end]));
      const key = `${escape ?? ''}\u0000${isLast ? 1 : 0}\u0000${pieceText}`;
      const found = local.lookup(key);
      if (found) {
        entry = found;
      } else {
        const parsed = parsePiece(pieceText, escape, !isLast);
        doc.piecesParsed++;
        entry = { parsed, shiftedAt: 0, shiftedStages: parsed.stages, shiftedPreamble: parsed.preamble };
        local.store(key, entry);
      }
      if (entry.parsed.endsClean || isLast) break;
      end++;
    }
    const line = cuts[start];
    if (entry.shiftedAt !== line) {
      entry.shiftedStages = entry.parsed.stages.map((s) => shiftStageSyntax(s, line));
      entry.shiftedPreamble = shiftPreamble(entry.parsed.preamble, line);
      entry.shiftedAt = line;
    }
    if (start === 0) {
      escape = entry.parsed.escapeChar;
      doc.escapeChar = escape;
      doc.directives = entry.parsed.directives;
      doc.preamble = entry.shiftedPreamble;
    } else if (entry.shiftedPreamble.instructions.length > 0) {
      // Cannot happen when cuts are at FROM lines; kept so that no instruction is ever lost.
      doc.preamble = {
        instructions: [...doc.preamble.instructions, ...entry.shiftedPreamble.instructions],
        args: [...doc.preamble.args, ...entry.shiftedPreamble.args],
      };
    }
    for (const s of entry.shiftedStages) doc.stages.push(s);
    start = end;
  }
  local.commit();
  return doc;
}
