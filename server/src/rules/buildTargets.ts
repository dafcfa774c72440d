/**
 * The checks of build files (Compose, Bake, dev containers, workflows): a target that names no
 * stage of its Dockerfile, where BuildKit fails with "target stage … could not be found" (with
 * "did you mean" and a fix), and a Dockerfile path that names no file. Stage names are compared
 * as BuildKit compares a target: case-insensitively.
 */
import * as path from 'path';
import { StageModel } from '../analysis/stageModel';
import { closestNames } from '../analysis/stageNames';
import { CodeFix } from '../edits/codeFix';
import { BuildEntry, KIND_LABEL } from '../workspace/buildFiles';
import { Finding, Severity } from './rule';

export const UNKNOWN_BUILD_TARGET = 'UnknownBuildTarget';
export const MISSING_DOCKERFILE = 'MissingDockerfile';

export const BUILD_FILE_CHECKS: readonly { code: string; severity: Severity; description: string }[] = [
  { code: UNKNOWN_BUILD_TARGET, severity: 'warning', description: 'A target in a Compose, Bake, dev container or workflow file that names no stage of its Dockerfile.' },
  { code: MISSING_DOCKERFILE, severity: 'warning', description: 'A Dockerfile path in a Compose, Bake, dev container or workflow file that names no file.' },
];

/** What the checks need to know of a Dockerfile: its model, or that there is no such file. */
export type DockerfileLookup = (dockerfile: string) => StageModel | 'missing' | undefined;

export function buildFileFindings(entries: readonly BuildEntry[], lookup: DockerfileLookup): Finding[] {
  const findings: Finding[] = [];
  for (const entry of entries) {
    if (entry.dockerfile === undefined) continue;
    const model = lookup(entry.dockerfile);
    const shown = path.relative(path.dirname(entry.file), entry.dockerfile) || path.basename(entry.dockerfile);
    if (model === 'missing') {
      // Only where a path is written: a default that names nothing is a build file that builds elsewhere.
      if (entry.dockerfileValue) {
        findings.push(finding(MISSING_DOCKERFILE, entry.dockerfileValue.range, `No Dockerfile at ${shown}: ${KIND_LABEL[entry.kind]} ${quote(entry.label)} cannot build it.`));
      }
      continue;
    }
    const target = entry.target;
    // An empty target (one being typed) builds the last stage: nothing to report.
    if (!model || !target || target.value === undefined || target.written === '') continue;
    if (model.stageForTarget(target.value)) continue;
    const names = [...model.stageByKey.keys()];
    const suggestions = closestNames(target.value, names);
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map(quote).join(' or ')}?` : '';
    const computed = target.literal ? '' : ` (${target.written} is ${quote(target.value)} with its defaults)`;
    findings.push(finding(
      UNKNOWN_BUILD_TARGET,
      target.range,
      `No stage named ${quote(target.value)} in ${shown}${computed}: the build fails ("target stage ${target.value} could not be found").${hint}`,
      { suggestions: target.literal ? suggestions : [] },
    ));
  }
  return findings;
}

/** "Change to 'stage'" for a target that names no stage, written literally; the closest first. */
export function buildFileFixes(finding: Finding): CodeFix[] {
  const suggestions = finding.data?.suggestions;
  if (finding.code !== UNKNOWN_BUILD_TARGET || !Array.isArray(suggestions)) return [];
  return suggestions
    .filter((s): s is string => typeof s === 'string')
    .map((s, i) => ({ title: `Change to '${s}'`, kind: 'quickfix' as const, edits: [{ range: finding.range, newText: s }], isPreferred: i === 0 }));
}

function finding(code: string, range: Finding['range'], message: string, data?: Record<string, unknown>): Finding {
  return { code, severity: 'warning', message, range, related: [], unnecessary: false, data };
}

function quote(s: string): string {
  return `"${s}"`;
}
