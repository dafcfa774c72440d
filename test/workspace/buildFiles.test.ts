/**
 * The readers of build files (server/src/workspace): what each file kind says about its builds,
 * on the fixture workspace test/fixtures/workspace (a Dockerfile in app/, another in tools/,
 * and a Compose file, two Bake files, a dev container and a workflow around them).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { BuildEntry, buildFileKind } from '../../server/src/workspace/buildFiles';
import { readBuildFile } from '../../server/src/workspace/readBuildFile';
import { fixturePath } from '../support/fixtures';

const root = fixturePath('workspace');

async function read(relative: string): Promise<BuildEntry[]> {
  const file = path.join(root, relative);
  return readBuildFile(file, fs.readFileSync(file, 'utf8'));
}

/** An entry in a few words: label, Dockerfile (relative), target (value, literal, written at line:char). */
function summary(e: BuildEntry): string {
  const dockerfile = e.dockerfile ? path.relative(root, e.dockerfile) : `none (${e.noDockerfile})`;
  const t = e.target;
  const target = t ? `${t.value ?? '?'}${t.literal ? '' : ' computed'} @${t.range.start.line}:${t.range.start.character}-${t.range.end.character}` : '-';
  const contexts = e.namedContexts.map((c) => `${c.name}=${c.value}@${c.range.start.line}:${c.range.start.character}`).join(',');
  return `${e.label} | ${dockerfile} | ${target}${contexts ? ` | ${contexts}` : ''}`;
}

test('file kinds by name and folder, as each tool finds its files', () => {
  const kinds = [
    'compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.prod.yaml', 'compose.override.yaml', 'docker-bake.hcl',
    'docker-bake.json', 'docker-bake.override.hcl', '.devcontainer/devcontainer.json', '.devcontainer/go/devcontainer.json',
    '.devcontainer.json', '.github/workflows/ci.yml', 'ci.yml', 'devcontainer.json', 'compose.json', 'Dockerfile',
  ].map((f) => `${f} ${buildFileKind(path.join('/repo', f)) ?? '-'}`);
  assert.deepEqual(kinds, [
    'compose.yaml compose', 'compose.yml compose', 'docker-compose.yml compose', 'docker-compose.prod.yaml compose', 'compose.override.yaml compose',
    'docker-bake.hcl bake', 'docker-bake.json bake', 'docker-bake.override.hcl bake', '.devcontainer/devcontainer.json devcontainer',
    '.devcontainer/go/devcontainer.json devcontainer', '.devcontainer.json devcontainer', '.github/workflows/ci.yml workflow', 'ci.yml -',
    'devcontainer.json -', 'compose.json -', 'Dockerfile -',
  ]);
});

test('Compose: context from the file, dockerfile from the context, targets, additional contexts, inline and computed', async () => {
  assert.deepEqual((await read('compose.yaml')).map(summary), [
    'api | app/Dockerfile | builder @4:14-21 | shared=../shared@6:8',
    'web | app/Dockerfile | -',
    'worker | app/Dockerfile | test computed @12:15-37',
    'inline | none (the Dockerfile is written inline (dockerfile_inline)) | -',
    'broken | missing/Dockerfile | relase @20:14-20',
    'tools | tools/Dockerfile.tools | Lint @25:14-18 | cache=docker-image://busybox@27:10',
  ]);
});

test('Bake HCL: targets inherit context and contexts; a variable default is known but not literal', async () => {
  assert.deepEqual((await read('docker-bake.hcl')).map(summary), [
    '_common | app/Dockerfile | - | shared=../shared@11:4',
    'app | app/Dockerfile | release @17:12-19 | shared=../shared@11:4',
    'app-test | app/Dockerfile | test computed @22:12-20 | shared=../shared@11:4',
    'typo | app/Dockerfile | buidler @27:12-19 | shared=../shared@11:4',
  ]);
});

test('Bake JSON: the same attributes, variable defaults too', async () => {
  assert.deepEqual((await read('bake-json/docker-bake.json')).map(summary), [
    'lint | tools/Dockerfile.tools | lint @3:82-86',
    'fmt | tools/Dockerfile.tools | fmt computed @4:81-91 | src=../app@4:109',
  ]);
});

test('dev container: dockerfile from the json file, comments and trailing commas allowed', async () => {
  assert.deepEqual((await read('.devcontainer/devcontainer.json')).map(summary), ['App dev | app/Dockerfile | Builder @6:15-22']);
});

test('workflow: build-push-action steps, context and file from the repository root, expressions computed', async () => {
  assert.deepEqual((await read('.github/workflows/ci.yml')).map(summary), [
    'image: Build test stage | app/Dockerfile | test @11:18-22 | shared=../shared@13:12',
    'image: Release | app/Dockerfile | ? computed @19:18-37',
  ]);
});

test('a file that does not parse has no builds, and reading it does not throw', async () => {
  for (const [name, text] of [['compose.yaml', 'services: [\n  - {'], ['docker-bake.hcl', 'target "x" {\n  target = '], ['docker-bake.json', '{"target": '], ['.devcontainer.json', '{ // ']]) {
    const entries = await readBuildFile(path.join(root, name), text);
    assert.ok(Array.isArray(entries), name);
  }
});
