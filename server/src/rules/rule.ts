/** The shape every diagnostic rule has: one file per rule, listed in allRules.ts. */
import type { DockerIgnore } from '../analysis/dockerignore';
import type { BuilderPattern } from '../workspace/builderPatternFiles';
import { Range } from '../analysis/positions';
import { StageModel } from '../analysis/stageModel';
import type { CodeFix } from '../edits/codeFix';
import type { SourceText } from '../edits/sourceText';

export type { CodeFix, TextEdit } from '../edits/codeFix';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedLocation {
  range: Range;
  message: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  related: RelatedLocation[];
  /** Shown faded in editors: code that has no effect on the default build. */
  unnecessary: boolean;
  /** What a quick fix needs to know, kept with the diagnostic. */
  data?: Record<string, unknown>;
}

export interface Report {
  message: string;
  range: Range;
  related?: RelatedLocation[];
  unnecessary?: boolean;
  data?: Record<string, unknown>;
  /** Overrides the rule's default severity for this one finding. */
  severity?: Severity;
}

/**
 * What a rule may know beyond the Dockerfile: the build context's ignore file, found by the
 * protocol layer or the CLI beside the Dockerfile. Rules stay functions of the model and this.
 */
export interface RuleContext {
  dockerignore?: DockerIgnore;
  /** The builder pattern around the Dockerfile (workspace/builderPatternFiles.ts), when its folder has one. */
  builderPattern?: BuilderPattern;
}

/** What the user's settings tell fixes (the advisor's runtime images, by ecosystem). */
export interface FixOptions {
  runtimeImages?: Readonly<Record<string, string>>;
}

export interface Rule {
  /** Stable code shown with the diagnostic; BuildKit's check name where BuildKit has the check. */
  code: string;
  /** True for BuildKit's own lint checks, which `# check=skip=…` and `error=true` govern. */
  buildkitCheck: boolean;
  /**
   * An experimental BuildKit check: it runs only when `# check=experimental=` names it (or says
   * `all`), and `skip=` does not turn it off (linter.go Linter.Run).
   */
  experimental?: boolean;
  /**
   * The rule reads the RuleContext: it runs apart from the findings kept per model, each time
   * the context is given (runRules.ts findingsFor), and not at all without one.
   */
  usesContext?: boolean;
  /**
   * One of the multi-stage advisor's rules (rules/advisor/): advice, never an error. `# check=skip=`
   * turns it off by its code (or `all`) like BuildKit's checks; `error=true` leaves it as it is.
   */
  advisor?: boolean;
  severity: Severity;
  /** One line for documentation and the CLI's rule list. */
  description: string;
  check(model: StageModel, report: (r: Report) => void, context?: RuleContext): void;
  /**
   * The fixes for one of this rule's findings on `model`. `source` is the text the model was
   * made from, for line breaks and indentation; without it, `\n` and spaces are assumed. With
   * `scope` 'fixAll', only the fixes marked fixAll are wanted (the others may be left out).
   */
  fixes?(model: StageModel, finding: Finding, source?: SourceText, scope?: 'all' | 'fixAll', options?: FixOptions): CodeFix[];
  /** Whether some of its fixes are safe for fix-all: fix-all asks only these rules. */
  hasFixAll?: boolean;
}

export function quote(name: string): string {
  return `"${name}"`;
}

/**
 * BuildKit's documentation page for one of its checks, as linter/ruleset.go names it: the check's
 * name in kebab case, an acronym kept whole (StageNameCasing → stage-name-casing,
 * JSONArgsRecommended → json-args-recommended).
 */
export function buildkitCheckUrl(rule: Rule): string | undefined {
  if (!rule.buildkitCheck) return undefined;
  const kebab = rule.code
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
  return `https://docs.docker.com/go/dockerfile/rule/${kebab}/`;
}
