/**
 * What the CLI prints: text for people (coloured on a terminal), JSON, and the formats CI
 * systems read: SARIF (GitHub code scanning and others), GitHub Actions workflow commands
 * (annotations), Checkstyle XML, GitLab Code Quality JSON. Positions are 1-based everywhere;
 * columns count UTF-16 code units, as the editor does.
 */
import { createHash } from 'crypto';
import { ALL_RULES } from '../rules/allRules';
import { BUILD_FILE_CHECKS } from '../rules/buildTargets';
import { Finding, Severity, buildkitCheckUrl } from '../rules/rule';
import { PRODUCT_VERSION } from '../version';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'checkstyle', 'gitlab'] as const;
export type Format = (typeof FORMATS)[number];

export interface FileResult {
  file: string;
  findings: Finding[];
}

/** Every rule of the CLI: the Dockerfile rules, then the checks of build files. */
export const ALL_CODES = [...ALL_RULES.map((r) => r.code), ...BUILD_FILE_CHECKS.map((c) => c.code)];

export function formatResults(format: Format, results: FileResult[], options: { color?: boolean } = {}): string {
  switch (format) {
    case 'text':
      return formatText(results, options.color ?? false);
    case 'json':
      return formatJson(results);
    case 'sarif':
      return JSON.stringify(toSarif(results), null, 2) + '\n';
    case 'github':
      return formatGithub(results);
    case 'checkstyle':
      return formatCheckstyle(results);
    case 'gitlab':
      return formatGitlab(results);
  }
}

// --- text ---------------------------------------------------------------------------------------

const SGR = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m' };
const SEVERITY_COLOR: Record<Severity, string> = { error: SGR.red + SGR.bold, warning: SGR.yellow + SGR.bold, information: SGR.cyan, hint: SGR.dim };

function formatText(results: FileResult[], color: boolean): string {
  const paint = (style: string, s: string) => (color ? `${style}${s}${SGR.reset}` : s);
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const r of results) {
    for (const f of r.findings) {
      counts[f.severity]++;
      const where = `${r.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      lines.push(`${paint(SGR.bold, where)}: ${paint(SEVERITY_COLOR[f.severity], f.severity)} ${paint(SGR.dim, f.code)}: ${f.message}`);
    }
  }
  const total = results.reduce((n, r) => n + r.findings.length, 0);
  const files = `${results.length} file${results.length === 1 ? '' : 's'} checked`;
  lines.push(
    total === 0
      ? `${files}: no findings.`
      : `${files}: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.information} information, ${counts.hint} hint(s).`,
  );
  return lines.join('\n') + '\n';
}

// --- JSON ---------------------------------------------------------------------------------------

function formatJson(results: FileResult[]): string {
  const out = results.flatMap((r) =>
    r.findings.map((f) => ({
      file: r.file,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      severity: f.severity,
      code: f.code,
      message: f.message,
      related: f.related.map((x) => ({ line: x.range.start.line + 1, column: x.range.start.character + 1, message: x.message })),
    })),
  );
  return JSON.stringify(out, null, 2) + '\n';
}

// --- SARIF --------------------------------------------------------------------------------------

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(results: FileResult[]): object {
  const region = (r: Finding['range']) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dockerfile-stages',
            version: PRODUCT_VERSION,
            rules: [
              ...ALL_RULES.map((rule) => ({
                id: rule.code,
                shortDescription: { text: rule.description },
                defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
                ...(buildkitCheckUrl(rule) ? { helpUri: buildkitCheckUrl(rule) } : {}),
              })),
              ...BUILD_FILE_CHECKS.map((c) => ({ id: c.code, shortDescription: { text: c.description }, defaultConfiguration: { level: SARIF_LEVEL[c.severity] } })),
            ],
          },
        },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.code,
            ruleIndex: ALL_CODES.indexOf(f.code),
            level: SARIF_LEVEL[f.severity],
            message: { text: f.message },
            locations: [{ physicalLocation: { artifactLocation: { uri: sarifUri(r.file) }, region: region(f.range) } }],
            ...(f.related.length > 0
              ? {
                  relatedLocations: f.related.map((x, id) => ({
                    id,
                    message: { text: x.message },
                    physicalLocation: { artifactLocation: { uri: sarifUri(r.file) }, region: region(x.range) },
                  })),
                }
              : {}),
          })),
        ),
      },
    ],
  };
}

/** Relative paths stay relative (SARIF viewers resolve them against the checkout). */
function sarifUri(file: string): string {
  if (file === '-') return 'stdin';
  return file.split('/').map(encodeURIComponent).join('/');
}

// --- GitHub Actions workflow commands -----------------------------------------------------------

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** A command's message, escaped as the runner reads it back (toolkit's escapeData). */
export function githubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: also `:` and `,`, which separate properties (escapeProperty). */
export function githubProperty(s: string): string {
  return githubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`, one line per finding. */
function formatGithub(results: FileResult[]): string {
  let out = '';
  for (const r of results) {
    for (const f of r.findings) {
      const props = [
        // Standard input has no file to annotate: the annotation goes to the run's summary.
        ...(r.file === '-' ? [] : [`file=${githubProperty(r.file)}`]),
        `line=${f.range.start.line + 1}`,
        `col=${f.range.start.character + 1}`,
        `endLine=${f.range.end.line + 1}`,
        `endColumn=${f.range.end.character + 1}`,
        `title=${githubProperty(f.code)}`,
      ];
      out += `::${GITHUB_COMMAND[f.severity]} ${props.join(',')}::${githubData(f.message)}\n`;
    }
  }
  return out;
}

// --- Checkstyle ---------------------------------------------------------------------------------

const CHECKSTYLE_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'info', hint: 'info' };

/**
 * Text for an XML attribute value: markup characters as entities, line breaks and tabs as
 * character references (a parser would turn them into spaces otherwise), and what XML 1.0 cannot
 * hold at all (other control characters, unpaired surrogates) as U+FFFD.
 */
export function xmlAttribute(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"'\t\n\r]/g, (c) => XML_ESCAPES[c]);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** Checkstyle's XML report: a `<file>` per file checked (as Checkstyle lists every file it audits), an `<error>` per finding. */
function formatCheckstyle(results: FileResult[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">'];
  for (const r of results) {
    if (r.findings.length === 0) {
      lines.push(`  <file name="${xmlAttribute(r.file)}"/>`);
      continue;
    }
    lines.push(`  <file name="${xmlAttribute(r.file)}">`);
    for (const f of r.findings) {
      lines.push(
        `    <error line="${f.range.start.line + 1}" column="${f.range.start.character + 1}" severity="${CHECKSTYLE_SEVERITY[f.severity]}" message="${xmlAttribute(f.message)}" source="dockerfile-stages.${xmlAttribute(f.code)}"/>`,
      );
    }
    lines.push('  </file>');
  }
  lines.push('</checkstyle>');
  return lines.join('\n') + '\n';
}

// --- GitLab Code Quality ------------------------------------------------------------------------

/**
 * GitLab's severities are info, minor, major, critical and blocker. An error here is a build
 * BuildKit fails or a reference it rejects: critical; a warning (a build that goes wrong
 * quietly): major; information: minor; a hint: info. Nothing is a blocker.
 */
export const GITLAB_SEVERITY: Record<Severity, string> = { error: 'critical', warning: 'major', information: 'minor', hint: 'info' };

/** Stable across runs and machines: the file as shown, the code, the range and the message. */
export function gitlabFingerprint(file: string, f: Finding): string {
  const { start, end } = f.range;
  return createHash('sha256').update(JSON.stringify([file, f.code, start.line, start.character, end.line, end.character, f.message])).digest('hex');
}

function formatGitlab(results: FileResult[]): string {
  const issues = results.flatMap((r) =>
    r.findings.map((f) => ({
      description: f.message,
      check_name: f.code,
      fingerprint: gitlabFingerprint(r.file, f),
      severity: GITLAB_SEVERITY[f.severity],
      location: { path: r.file, lines: { begin: f.range.start.line + 1, end: f.range.end.line + 1 } },
    })),
  );
  return JSON.stringify(issues, null, 2) + '\n';
}
