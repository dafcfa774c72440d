/**
 * One Dockerfile checked for the CLI: read, analysed, its rules run with the settings and what
 * the build files say of it, and, with `--target`, reachability judged from that target. The
 * same code runs on the main thread and in the worker threads (pool.ts); what goes in and out is
 * plain data, so that it crosses between threads as it is.
 */
import * as fs from 'fs';
import { analyzeText } from '../analysis/modelStore';
import { StageModel } from '../analysis/stageModel';
import { closestNames } from '../analysis/stageNames';
import { stageLabel } from '../rules/referenceDescriptions';
import { Finding, Severity, quote } from '../rules/rule';
import { findingsFor, ruleByCode } from '../rules/runRules';
import { BuildEntry } from '../workspace/buildFiles';
import { DockerfileBuilds, NO_BUILDS, dockerfileBuilds } from '../workspace/dockerfileBuilds';
import { readDockerignoreFor } from '../workspace/dockerignoreFile';
import { findBuilderPattern } from '../workspace/builderPatternFiles';

export interface CheckSettings {
  /** Per rule code: a severity, or `off`. */
  severity: Record<string, Severity | 'off'>;
  /** `--target`: reachability is judged from this stage instead of the last one. */
  target?: string;
}

/** One file to check: its path as shown, its text when already read (standard input), its builds. */
export interface CheckJob {
  file: string;
  text?: string;
  /** The builds other files describe of it (undefined for standard input: no path to match). */
  builds?: BuildEntry[];
  /** Why it could not be read, when the main thread read it (standard input). */
  error?: string;
}

/** The findings of a file, or why it could not be checked (an input error: exit code 2). */
export type CheckResult = { file: string; findings: Finding[] } | { file: string; error: string };

/** Reads a Dockerfile as text; refuses what is clearly not one. */
export function readDockerfile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new Error(`${file}: cannot read: ${why}`);
  }
  if (bytes.subarray(0, 8192).includes(0)) throw new Error(`${file}: not a text file (it contains NUL bytes)`);
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // editors do not count the BOM as a column
  return text;
}

export const byPosition = (a: Finding, b: Finding): number => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;

/**
 * The stage `--target NAME` builds, looked up as BuildKit looks it up (lower-cased, the last
 * stage of that name), or the message that says there is none, with the names it may mean.
 */
export function targetStageOf(model: StageModel, name: string): { index: number } | { error: string } {
  const stage = model.stageForTarget(name);
  if (stage) return { index: stage.index };
  const suggestions = closestNames(name, [...model.stageByKey.keys()]);
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map(quote).join(' or ')}?` : '';
  return { error: `--target ${name}: no stage named ${quote(name)} (the build fails: "target stage ${name} could not be found").${hint}` };
}

export function checkDockerfile(job: CheckJob, settings: CheckSettings): CheckResult {
  if (job.error !== undefined) return { file: job.file, error: job.error };
  let model: StageModel;
  try {
    model = analyzeText(job.text ?? readDockerfile(job.file));
  } catch (e) {
    return { file: job.file, error: (e as Error).message };
  }
  const builds = job.builds ? dockerfileBuilds(model, job.builds) : NO_BUILDS;
  // The ignore file beside the Dockerfile, taken as its build context's (CopyIgnoredFile).
  const dockerignore = job.file === '-' ? undefined : readDockerignoreFor(job.file);
  // The builder pattern of the Dockerfile's folder (BuilderPattern): Dockerfile.build and a docker cp script beside it.
  const builderPattern = job.file === '-' ? undefined : findBuilderPattern(job.file);
  let findings = findingsFor(model, { severity: settings.severity }, builds, dockerignore || builderPattern ? { dockerignore, builderPattern } : undefined);
  if (settings.target !== undefined) {
    const target = targetStageOf(model, settings.target);
    if ('error' in target) return { file: job.file, error: `${job.file}: ${target.error}` };
    if (target.index !== model.targetIndex) findings = [...findings.filter((f) => f.code !== 'UnreachableStage'), ...unreachableFrom(model, target.index, builds, settings)];
  }
  // Only what the formats print: a finding's `data` (what its quick fixes need) stays here.
  return { file: job.file, findings: findings.map(plain).sort(byPosition) };
}

function plain(f: Finding): Finding {
  return { code: f.code, severity: f.severity, message: f.message, range: f.range, related: f.related, unnecessary: f.unnecessary };
}

/**
 * UnreachableStage judged from `target` rather than from the last stage: the stages a build of
 * that target does not build (and no build file builds either), each reported where the rule
 * reports it, with the rule's severity or the one the settings give it.
 */
function unreachableFrom(model: StageModel, target: number, builds: DockerfileBuilds, settings: CheckSettings): Finding[] {
  const override = settings.severity.UnreachableStage;
  if (override === 'off') return [];
  const severity = override ?? ruleByCode('UnreachableStage')?.severity ?? 'hint';
  const reached = new Set(model.reachableFrom(target));
  const out: Finding[] = [];
  for (const stage of model.stages) {
    if (reached.has(stage.index) || builds.reached.has(stage.index)) continue;
    out.push({
      code: 'UnreachableStage',
      severity,
      message: `${stageLabel(model, stage.index)} is not built by --target ${settings.target}: the target ${stageLabel(model, target)} does not use it.`,
      range: stage.syntax.from.range,
      related: [{ range: model.stages[target].syntax.from.range, message: 'The --target stage' }],
      unnecessary: true,
    });
  }
  return out;
}

/** A stage as `--list-stages` shows it. */
export interface StageListing {
  index: number;
  name: string | null;
  base: string | null;
  line: number;
  /** Whether building the target (the last stage, or `--target`'s) builds this stage. */
  reached: boolean;
}

export function listStages(model: StageModel, target: number | undefined): StageListing[] {
  const reached = new Set(target === undefined ? [] : model.reachableFrom(target));
  return model.stages.map((s) => ({
    index: s.index,
    name: s.name ?? null,
    base: s.syntax.from.base?.text ?? null,
    line: s.syntax.from.range.start.line + 1,
    reached: reached.has(s.index),
  }));
}
