/**
 * What the CLI finds over the real corpus (../shared/corpus/real), by rule, as the README's
 * table shows it. The corpus test compares the README with this; `npm run corpus-table`
 * rewrites the README's table from it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../server/src/cli';
import { ruleByCode } from '../../server/src/rules/runRules';

export const TABLE_START = '<!-- corpus-table: written by `npm run corpus-table` -->';
export const TABLE_END = '<!-- /corpus-table -->';

/** The corpus's Dockerfiles (everything but its tables and README), in name order. */
export function corpusFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => !n.endsWith('.tsv') && n !== 'README.md')
    .sort()
    .map((n) => path.join(dir, n));
}

interface JsonFinding {
  file: string;
  line: number;
  code: string;
  severity: string;
}

/** The markdown table: one row per rule that fires, most findings first. */
export async function corpusTable(dir: string): Promise<string> {
  const files = corpusFiles(dir);
  let json = '';
  const code = await main(['--format', 'json', '--fail-on', 'none', '--jobs', '1', ...files], (s) => (json += s), () => undefined);
  if (code !== 0) throw new Error(`the CLI exited with ${code} on the corpus`);
  const findings = JSON.parse(json) as JsonFinding[];
  const byCode = new Map<string, JsonFinding[]>();
  for (const f of findings) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
  const rows = [...byCode].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const lines = [
    `${files.length} files, ${findings.length} findings (\`dockerfile-stages --format json --fail-on none\` on each file of the corpus):`,
    '',
    '| rule | source | severity | findings | files | for example |',
    '|---|---|---|---:|---:|---|',
  ];
  for (const [ruleCode, list] of rows) {
    const rule = ruleByCode(ruleCode);
    const source = rule?.buildkitCheck ? 'BuildKit' : 'own';
    const fileCount = new Set(list.map((f) => f.file)).size;
    const first = list[0];
    lines.push(`| \`${ruleCode}\` | ${source} | ${first.severity} | ${list.length} | ${fileCount} | \`${path.basename(first.file)}\`:${first.line} |`);
  }
  return lines.join('\n');
}

/** The README with its corpus table replaced (or undefined when the markers are missing). */
export function withTable(readme: string, table: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end < start) return undefined;
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
