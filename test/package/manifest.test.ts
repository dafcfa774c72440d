/** package.json's contributions agree with the server: the severity setting names every rule. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES } from '../../server/src/rules/allRules';
import { BUILD_FILE_CHECKS } from '../../server/src/rules/buildTargets';
import { repoRoot } from '../support/fixtures';

test('the severity setting lists every rule by its code, with its description, so the Settings UI shows them', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8'));
  const severity = manifest.contributes.configuration.properties['dockerfileStages.severity'];
  const rules = [...ALL_RULES, ...BUILD_FILE_CHECKS];
  assert.deepEqual(Object.keys(severity.properties), rules.map((r) => r.code));
  for (const r of rules) {
    const p = severity.properties[r.code];
    assert.deepEqual(p.enum, ['error', 'warning', 'information', 'hint', 'off'], r.code);
    assert.ok(p.markdownDescription.startsWith(r.description), `${r.code}: ${p.markdownDescription}`);
    assert.ok(p.markdownDescription.includes(`Default: \`${r.severity}\``), r.code);
  }
  assert.equal(severity.additionalProperties, false, 'a misspelt code is flagged in settings.json');
});

test("the buildkitChecks setting: auto (the default), on or off, each described", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8'));
  const setting = manifest.contributes.configuration.properties['dockerfileStages.buildkitChecks'];
  assert.deepEqual(setting.enum, ['auto', 'on', 'off']);
  assert.equal(setting.default, 'auto');
  assert.equal(setting.enumDescriptions.length, 3);
  assert.match(setting.markdownDescription, /Docker's VS Code extension/);
});
