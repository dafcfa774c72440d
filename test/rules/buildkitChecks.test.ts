/**
 * BuildKit's checks as a set: which of them are here, their documentation pages, the
 * `# check=experimental=` directive, and the `buildkitChecks` switch of the rule settings.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { ALL_RULES } from '../../server/src/rules/allRules';
import { readCheckDirective } from '../../server/src/rules/checkDirective';
import { buildkitCheckUrl } from '../../server/src/rules/rule';
import { findingsFor } from '../../server/src/rules/runRules';

/**
 * The documentation URL of each of BuildKit's 22 checks, as frontend/dockerfile/linter/ruleset.go
 * gives it (InvalidBaseImagePlatform has none there, and needs the base image's metadata from a
 * registry: it is the one check not implemented here).
 */
const RULESET_URLS: Record<string, string | undefined> = {
  StageNameCasing: 'https://docs.docker.com/go/dockerfile/rule/stage-name-casing/',
  FromAsCasing: 'https://docs.docker.com/go/dockerfile/rule/from-as-casing/',
  NoEmptyContinuation: 'https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/',
  ConsistentInstructionCasing: 'https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/',
  DuplicateStageName: 'https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/',
  ReservedStageName: 'https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/',
  JSONArgsRecommended: 'https://docs.docker.com/go/dockerfile/rule/json-args-recommended/',
  MaintainerDeprecated: 'https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/',
  UndefinedArgInFrom: 'https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/',
  WorkdirRelativePath: 'https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/',
  UndefinedVar: 'https://docs.docker.com/go/dockerfile/rule/undefined-var/',
  MultipleInstructionsDisallowed: 'https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/',
  LegacyKeyValueFormat: 'https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/',
  InvalidBaseImagePlatform: undefined,
  RedundantTargetPlatform: 'https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/',
  SecretsUsedInArgOrEnv: 'https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/',
  InvalidDefaultArgInFrom: 'https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/',
  FromPlatformFlagConstDisallowed: 'https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/',
  CopyIgnoredFile: 'https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/',
  InvalidDefinitionDescription: 'https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/',
  ExposeProtoCasing: 'https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/',
  ExposeInvalidFormat: 'https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/',
};

test('every BuildKit check but InvalidBaseImagePlatform is a rule marked buildkitCheck, and no other rule is', () => {
  const buildkit = ALL_RULES.filter((r) => r.buildkitCheck).map((r) => r.code).sort();
  const expected = Object.keys(RULESET_URLS).filter((c) => c !== 'InvalidBaseImagePlatform').sort();
  assert.deepEqual(buildkit, expected);
  for (const r of ALL_RULES.filter((r) => r.buildkitCheck)) assert.equal(r.severity, 'warning', `${r.code}: BuildKit's checks are warnings`);
});

test("each BuildKit check links to its page in Docker's build-checks reference, as ruleset.go names it", () => {
  for (const rule of ALL_RULES) {
    assert.equal(buildkitCheckUrl(rule), rule.buildkitCheck ? RULESET_URLS[rule.code] : undefined, rule.code);
  }
});

test('only InvalidDefinitionDescription is experimental; only CopyIgnoredFile and the advisor rule BuilderPattern read the rule context', () => {
  assert.deepEqual(ALL_RULES.filter((r) => r.experimental).map((r) => r.code), ['InvalidDefinitionDescription']);
  assert.deepEqual(ALL_RULES.filter((r) => r.usesContext).map((r) => r.code), ['CopyIgnoredFile', 'BuilderPattern']);
});

test('# check= is read as ParseLintOptions reads it: skip, error and experimental, all or a list', () => {
  const read = (text: string) => readCheckDirective(analyzeText(text + '\nFROM alpine\n').directives);
  const c = read('# check=skip=A,B;error=true;experimental=C,D');
  assert.deepEqual([c.skipAll, [...c.skip], c.errors, c.experimentalAll, [...c.experimental]], [false, ['A', 'B'], true, false, ['C', 'D']]);
  const all = read('# check=experimental=all;skip=all');
  assert.deepEqual([all.skipAll, all.experimentalAll], [true, true]);
  // `all` counts only as the whole value.
  const listed = read('# check=skip=all,A');
  assert.deepEqual([listed.skipAll, [...listed.skip]], [false, ['all', 'A']]);
});

test('with buildkitChecks false, the BuildKit checks go and the own rules stay', () => {
  const model = analyzeText('FROM alpine AS build\nCMD serve\nFROM alpine\nCOPY --from=biuld / /\n');
  const codes = (buildkitChecks?: boolean) => findingsFor(model, { buildkitChecks }).map((f) => f.code).sort();
  assert.deepEqual(codes(), ['JSONArgsRecommended', 'UnknownStageReference', 'UnreachableStage']);
  assert.deepEqual(codes(true), codes());
  assert.deepEqual(codes(false), ['UnknownStageReference', 'UnreachableStage']);
});
