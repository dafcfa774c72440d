/** Helpers shared by the editor-feature suites: reading expected sections, CRLF variants. */
import { FixtureCase } from '../support/fixtures';
import { Position, Range, comparePositions } from '../../server/src/analysis/positions';

/** The non-blank lines of a section (right-trimmed, indentation kept), or undefined when absent. */
export function sectionLines(c: FixtureCase, header: string): string[] | undefined {
  const section = c.sections.find((s) => s.header === header);
  if (!section) return undefined;
  return section.body
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}

/** The same text with `\r\n` line endings. */
export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** The text of the cursor's line up to the cursor, as the protocol layer passes it. */
export function linePrefix(text: string, cursor: Position): string {
  const line = text.split('\n')[cursor.line] ?? '';
  return line.replace(/\r$/, '').slice(0, cursor.character);
}

export function rangeInside(inner: Range, outer: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

export function isOrdered(r: Range): boolean {
  return comparePositions(r.start, r.end) <= 0;
}
