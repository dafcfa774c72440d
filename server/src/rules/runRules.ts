/** Runs every rule on a model once; the findings are kept with the model and shared. */
import { StageModel } from '../analysis/stageModel';
import { DockerfileBuilds, NO_BUILDS } from '../workspace/dockerfileBuilds';
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

/**
 * The model's findings with the user's settings applied. With `builds` (the builds other files
 * describe), a stage one of them builds is no unreachable stage, and a name one of them gives a
 * named context is no unknown stage.
 */
export function findingsFor(model: StageModel, settings: RuleSettings = {}, builds: DockerfileBuilds = NO_BUILDS): Finding[] {
  const overrides = settings.severity;
  let all = modelFindings(model);
  if (builds !== NO_BUILDS) all = all.filter((f) => !coveredByBuilds(model, f, builds));
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

function coveredByBuilds(model: StageModel, f: Finding, builds: DockerfileBuilds): boolean {
  if (f.code === 'UnreachableStage') {
    const stage = model.stageAt(f.range.start);
    return stage !== undefined && builds.reached.has(stage.index);
  }
  if (f.code === 'UnknownStageReference') {
    const ref = model.refAt(f.range.start);
    return ref !== undefined && builds.contexts.has(ref.value.toLowerCase());
  }
  return false;
}
