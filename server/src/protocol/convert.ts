/** Plain findings and feature results → LSP types. */
import type { Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag } from './lsp';
import { Finding, Severity, buildkitCheckUrl } from '../rules/rule';
import { ruleByCode } from '../rules/runRules';

export const SOURCE = 'dockerfile-stages';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding, uri: string, relatedSupport: boolean): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    source: SOURCE,
    message: f.message,
  };
  const rule = ruleByCode(f.code);
  const href = rule && buildkitCheckUrl(rule);
  if (href) d.codeDescription = { href };
  if (f.unnecessary) d.tags = [DiagnosticTag.Unnecessary];
  if (relatedSupport && f.related.length > 0) {
    d.relatedInformation = f.related.map((r) => DiagnosticRelatedInformation.create({ uri, range: r.range }, r.message));
  }
  if (f.data) d.data = f.data;
  return d;
}
