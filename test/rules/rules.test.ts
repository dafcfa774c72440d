/**
 * Diagnostic rules, data-driven: test/fixtures/rules/<RuleCode>.cases.
 *
 * Each case is a Dockerfile whose marker lines label every expected finding:
 *     COPY --from=biuld /out /out
 *     #           ^^^^^ warning UnknownStageReference
 * The labels of findings are `SEVERITY Code`; the test asserts that the multiset of
 * (code, severity, range) that findingsFor(analyzeText(text)) returns is exactly the marked
 * one, so every case also proves that no other rule fires. Two more kinds of label:
 * - `related Code`: some finding of that rule has a related location with exactly that range;
 * - (none other: findings are `unnecessary` exactly when they are UnreachableStage.)
 * An optional `--- messages` section lists lines `Code: text` (or just `text`): some finding
 * (of that rule) has a message containing the text. An optional `--- dockerignore [NAME]`
 * section is the build context's ignore file (named NAME, default `.dockerignore`), given to
 * the rules as the protocol layer and the CLI give the one they find beside the Dockerfile; an
 * optional `--- builder-pattern BUILD_DOCKERFILE SCRIPT` header says the folder has the builder
 * pattern (workspace/builderPatternFiles.ts).
 *
 * Every case runs three times: as written, with CRLF line endings (identical findings), and
 * with a UTF-8 BOM in front (identical findings, line 0 moved right by the BOM's one UTF-16 unit).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { DockerIgnore } from '../../server/src/analysis/dockerignore';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { Range } from '../../server/src/analysis/positions';
import { ALL_RULES } from '../../server/src/rules/allRules';
import { Finding, RuleContext, Severity } from '../../server/src/rules/rule';
import { findingsFor } from '../../server/src/rules/runRules';
import { FixtureCase, Mark, fixturePath, formatRange, loadSuite } from '../support/fixtures';

const SEVERITIES: ReadonlySet<string> = new Set<Severity>(['error', 'warning', 'information', 'hint']);
const CODES: ReadonlySet<string> = new Set(ALL_RULES.map((r) => r.code));

interface Expected {
  findings: string[];
  related: { code: string; range: Range }[];
}

function expectedFrom(c: FixtureCase, marks: Mark[]): Expected {
  const out: Expected = { findings: [], related: [] };
  for (const m of marks) {
    const [first, code, ...rest] = m.label.split(/\s+/);
    assert.ok(CODES.has(code) && rest.length === 0, `${c.name}: bad label "${m.label}"`);
    if (first === 'related') out.related.push({ code, range: m.range });
    else if (SEVERITIES.has(first)) out.findings.push(`${code} ${first} ${formatRange(m.range)}`);
    else assert.fail(`${c.name}: bad label "${m.label}"`);
  }
  out.findings.sort();
  return out;
}

function actualKeys(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.code} ${f.severity} ${formatRange(f.range)}`).sort();
}

/**
 * The rule context of a case: its `--- dockerignore` section, and its `--- builder-pattern
 * BUILD_DOCKERFILE SCRIPT` line (the builder pattern the folder is said to have), if it has them.
 */
function contextOf(c: FixtureCase): RuleContext | undefined {
  const builder = c.sections.find((s) => s.header.startsWith('builder-pattern '));
  const builderPattern = builder ? { buildDockerfile: builder.header.split(/\s+/)[1], script: builder.header.split(/\s+/)[2] } : undefined;
  const section = c.sections.find((s) => s.header === 'dockerignore' || s.header.startsWith('dockerignore '));
  if (!section) return builderPattern && { builderPattern };
  const name = section.header.slice('dockerignore'.length).trim() || '.dockerignore';
  const dockerignore = DockerIgnore.parse(name, section.body);
  assert.ok(dockerignore, `${c.name}: the dockerignore section does not parse`);
  return { dockerignore, builderPattern };
}

function checkCase(c: FixtureCase, text: string, marks: Mark[], variant: string): void {
  const findings = findingsFor(analyzeText(text), {}, undefined, contextOf(c));
  const expected = expectedFrom(c, marks);
  const detail = () => findings.map((f) => `  ${f.code} ${f.severity} ${formatRange(f.range)}: ${f.message}`).join('\n');
  assert.deepEqual(actualKeys(findings), expected.findings, `${c.name} (${variant}): findings differ; got\n${detail()}`);
  for (const f of findings) {
    assert.equal(f.unnecessary, f.code === 'UnreachableStage', `${c.name}: ${f.code} unnecessary=${f.unnecessary}`);
  }
  for (const r of expected.related) {
    const ok = findings.some((f) => f.code === r.code && f.related.some((rel) => formatRange(rel.range) === formatRange(r.range)));
    assert.ok(ok, `${c.name} (${variant}): no ${r.code} finding has a related location at ${formatRange(r.range)}; got\n${findings.map((f) => `  ${f.code}: ${f.related.map((x) => formatRange(x.range)).join(' ')}`).join('\n')}`);
  }
  for (const section of c.sections) {
    if (section.header !== 'messages') continue;
    for (const line of section.body.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
      const m = /^([A-Z][A-Za-z]+): (.*)$/.exec(line);
      const code = m && CODES.has(m[1]) ? m[1] : undefined;
      const text = code ? m![2] : line;
      const ok = findings.some((f) => (code === undefined || f.code === code) && f.message.includes(text));
      assert.ok(ok, `${c.name} (${variant}): no ${code ?? ''} message contains ${JSON.stringify(text)}; got\n${detail()}`);
    }
  }
}

function shiftLineZero(marks: Mark[], by: number): Mark[] {
  const move = (p: { line: number; character: number }) => (p.line === 0 ? { line: 0, character: p.character + by } : p);
  return marks.map((m) => ({ label: m.label, range: { start: move(m.range.start), end: move(m.range.end) } }));
}

const cases = loadSuite('rules');

test('every rule has its own cases file with at least one finding', () => {
  const files = new Set(fs.readdirSync(fixturePath('rules')).filter((f) => f.endsWith('.cases')).map((f) => f.slice(0, -'.cases'.length)));
  for (const rule of ALL_RULES) {
    assert.ok(files.has(rule.code), `test/fixtures/rules/${rule.code}.cases is missing`);
    const positive = cases.some((c) => c.marks.some((m) => m.label.split(/\s+/)[1] === rule.code && SEVERITIES.has(m.label.split(/\s+/)[0])));
    assert.ok(positive, `no case expects a ${rule.code} finding`);
  }
  for (const f of files) assert.ok(CODES.has(f), `${f}.cases names no rule`);
});

test('an empty file has no findings', () => {
  assert.deepEqual(findingsFor(analyzeText('')), []);
  assert.deepEqual(findingsFor(analyzeText('\uFEFF')), []);
  assert.deepEqual(findingsFor(analyzeText('\r\n')), []);
});

for (const c of cases) {
  const file = c.file.split(/[\\/]/).pop()!;
  test(`${file}: ${c.name}`, () => checkCase(c, c.text, c.marks, 'LF'));
  test(`${file}: ${c.name} (CRLF)`, () => checkCase(c, c.text.replace(/\n/g, '\r\n'), c.marks, 'CRLF'));
  test(`${file}: ${c.name} (BOM)`, () => checkCase(c, '\uFEFF' + c.text, shiftLineZero(c.marks, 1), 'BOM'));
}
