/** Runs every rule on a model once; the findings are kept with the model and shared. */
import { StageModel } from '../analysis/stageModel';
import { ALL_RULES } from './allRules';
import { readCheckDirective } from './checkDirective';
import { Finding, Rule, Severity } from './rule';

export interface RuleSettings {
  /** Per rule code: a severity, or `off`. */
  severity?: Readonly<Record<string, Severity | 'off'>>;
}

const findingsByModel = new WeakMap<StageModel, Finding[]>();

/** Findings with each rule's own severity and the file's `# check=` directive applied. */
export function modelFindings(model: StageModel): Finding[] {
  let findings = findingsByModel.get(model);
  if (findings) return findings;
  findings = [];
  const check = readCheckDirective(model.directives);
  for (const rule of ALL_RULES) {
    if (rule.buildkitCheck && (check.skipAll || check.skip.has(rule.code))) continue;
    const out = findings;
    rule.check(model, (r) => {
      let severity = r.severity ?? rule.severity;
      if (rule.buildkitCheck && check.errors) severity = 'error';
      out.push({
        code: rule.code,
        severity,
        message: r.message,
        range: r.range,
        related: r.related ?? [],
        unnecessary: r.unnecessary ?? false,
        data: r.data,
      });
    });
  }
  findingsByModel.set(model, findings);
  return findings;
}

/** The model's findings with the user's settings applied. */
export function findingsFor(model: StageModel, settings: RuleSettings = {}): Finding[] {
  const overrides = settings.severity;
  const all = modelFindings(model);
  if (!overrides || Object.keys(overrides).length === 0) return all;
  const out: Finding[] = [];
  for (const f of all) {
    const o = overrides[f.code];
    if (o === 'off') continue;
    out.push(o ? { ...f, severity: o } : f);
  }
  return out;
}

const RULE_BY_CODE = new Map(ALL_RULES.map((r) => [r.code, r]));

export function ruleByCode(code: string): Rule | undefined {
  return RULE_BY_CODE.get(code);
}
