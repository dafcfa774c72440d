/** Runs every rule on a model once; the findings are kept with the model and shared. */
import { StageModel } from '../analysis/stageModel';
import { DockerfileBuilds, NO_BUILDS } from '../workspace/dockerfileBuilds';
import { ALL_RULES } from './allRules';
import { CheckDirective, readCheckDirective } from './checkDirective';
import { Finding, Rule, RuleContext, Severity } from './rule';

export interface RuleSettings {
  /** Per rule code: a severity, or `off`. */
  severity?: Readonly<Record<string, Severity | 'off'>>;
  /**
   * Whether BuildKit's own checks are reported (default true). Off next to an editor extension
   * that reports them already (the protocol layer decides, from the `buildkitChecks` setting).
   */
  buildkitChecks?: boolean;
}

const findingsByModel = new WeakMap<StageModel, Finding[]>();
const directiveByModel = new WeakMap<StageModel, CheckDirective>();

function checkDirectiveOf(model: StageModel): CheckDirective {
  let check = directiveByModel.get(model);
  if (!check) directiveByModel.set(model, (check = readCheckDirective(model.directives)));
  return check;
}

/**
 * Whether the file's `# check=` directive lets a rule run: BuildKit's checks can be skipped, and
 * its experimental ones run only when named (linter.go Linter.Run); the project's own always run.
 */
function directiveRuns(rule: Rule, check: CheckDirective): boolean {
  // The advisor's hints are skipped by name (or `all`) too: BuildKit ignores names it does not know.
  if (rule.advisor) return !(check.skipAll || check.skip.has(rule.code));
  if (!rule.buildkitCheck) return true;
  if (rule.experimental) return check.experimentalAll || check.experimental.has(rule.code);
  return !(check.skipAll || check.skip.has(rule.code));
}

/** Runs one rule, with its severity and the `# check=error=true` directive applied. */
function runRule(rule: Rule, model: StageModel, check: CheckDirective, out: Finding[], context?: RuleContext): void {
  rule.check(
    model,
    (r) => {
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
    },
    context,
  );
}

/**
 * Findings with each rule's own severity and the file's `# check=` directive applied, of the
 * rules that need nothing but the model.
 */
export function modelFindings(model: StageModel): Finding[] {
  let findings = findingsByModel.get(model);
  if (findings) return findings;
  findings = [];
  const check = checkDirectiveOf(model);
  for (const rule of ALL_RULES) {
    if (rule.usesContext || !directiveRuns(rule, check)) continue;
    runRule(rule, model, check, findings);
  }
  findingsByModel.set(model, findings);
  return findings;
}

const contextFindingsByModel = new WeakMap<StageModel, { dockerignore: RuleContext['dockerignore']; builderPattern: RuleContext['builderPattern']; findings: Finding[] }>();

/** The findings of the rules that read the context (kept for the last context given with the model). */
function contextFindings(model: StageModel, context: RuleContext): Finding[] {
  const kept = contextFindingsByModel.get(model);
  if (kept && kept.dockerignore === context.dockerignore && kept.builderPattern === context.builderPattern) return kept.findings;
  const findings: Finding[] = [];
  const check = checkDirectiveOf(model);
  for (const rule of ALL_RULES) {
    if (rule.usesContext && directiveRuns(rule, check)) runRule(rule, model, check, findings, context);
  }
  contextFindingsByModel.set(model, { dockerignore: context.dockerignore, builderPattern: context.builderPattern, findings });
  return findings;
}

/**
 * The model's findings with the user's settings applied. With `builds` (the builds other files
 * describe), a stage one of them builds is no unreachable stage, and a name one of them gives a
 * named context is no unknown stage. With `context` (the build context's ignore file), the rules
 * that read it run too.
 */
export function findingsFor(model: StageModel, settings: RuleSettings = {}, builds: DockerfileBuilds = NO_BUILDS, context?: RuleContext): Finding[] {
  const overrides = settings.severity;
  let all = modelFindings(model);
  if (context?.dockerignore || context?.builderPattern) {
    const more = contextFindings(model, context);
    if (more.length > 0) all = [...all, ...more];
  }
  if (builds !== NO_BUILDS) all = all.filter((f) => !coveredByBuilds(model, f, builds));
  if (settings.buildkitChecks === false) all = all.filter((f) => !RULE_BY_CODE.get(f.code)?.buildkitCheck);
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
