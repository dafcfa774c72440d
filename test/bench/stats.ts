/** Small statistics and formatting helpers for the benchmark report. */

export interface Summary {
  n: number;
  min: number | null;
  median: number | null;
  p90: number | null;
  max: number | null;
}

export function summarize(values: readonly (number | null | undefined)[]): Summary {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return { n: 0, min: null, median: null, p90: null, max: null };
  return { n: xs.length, min: xs[0], median: median(xs)!, p90: xs[Math.min(xs.length - 1, Math.ceil(0.9 * xs.length) - 1)], max: xs[xs.length - 1] };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const xs = [...values].sort((a, b) => a - b);
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** 0.042 → "0.04", 3.456 → "3.5", 45.6 → "46", 1627.3 → "1,627" */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1) return ms.toFixed(2);
  if (ms < 10) return ms.toFixed(1);
  return Math.round(ms).toLocaleString('en-US');
}

/** 126.4 → "126×", 4.24 → "4.2×" */
export function fmtRatio(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return 'n/a';
  if (r >= 10) return `${Math.round(r).toLocaleString('en-US')}×`;
  return `${r.toFixed(r < 1 ? 2 : 1)}×`;
}

/** A plain-text table with aligned columns. */
export function textTable(header: string[], rows: string[][], leftAligned = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < leftAligned ? (c ?? '').padEnd(widths[i]) : (c ?? '').padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A markdown table: first column left-aligned, the others right-aligned. */
export function markdownTable(header: string[], rows: string[][], leftAligned = 1): string {
  const esc = (c: string) => (c ?? '').replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `| ${header.map((_, i) => (i < leftAligned ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
