/**
 * Where the benchmark asks and types (scanDockerfile.ts) and which corpus files it picks
 * (corpus.ts, coldStart.ts): wrong positions would time answers to other questions.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { coldStartFile } from './coldStart';
import { lineCount, mobyFile } from './corpus';
import { generateDockerfile } from './generateDockerfile';
import { benchTargets, insertAt, realTargets, scanDockerfile } from './scanDockerfile';

test('benchTargets: the last --from= that names a stage, not a later image', () => {
  const text = [
    'FROM alpine AS build',
    '# the build',
    'RUN make',
    'FROM scratch',
    'COPY --from=build /out /out',
    'COPY --from=busybox:1.36 /bin/sh /bin/sh',
    '',
  ].join('\n');
  const t = benchTargets(scanDockerfile(text));
  assert.equal(t.stageName, 'build');
  assert.deepEqual(t.name, { line: 4, character: 13 });
  assert.deepEqual(t.afterFrom, { line: 4, character: 12 });
  assert.equal(t.declaration.line, 0);
  assert.equal(t.occurrences, 2);
  assert.deepEqual(t.edit, { line: 1, character: 11 });
});

test('benchTargets: the generated fixtures keep their targets', () => {
  for (const stages of [10, 100]) {
    const scan = scanDockerfile(generateDockerfile(stages));
    const t = benchTargets(scan);
    assert.match(scan.lines[t.name.line], /--from=/);
    assert.equal(scan.lines[t.declaration.line].includes(` AS ${t.stageName}`), true);
  }
});

test('realTargets: a --from=<stage> first, then FROM <stage>, then a mount, else the first image', () => {
  const flag = realTargets(scanDockerfile('FROM a AS st\nFROM st AS up\nRUN --mount=from=up,target=/y ls\nCOPY --from=st / /\n'));
  assert.equal(flag.kind, 'from-flag');
  assert.deepEqual([flag.at, flag.start, flag.declarationLine], [{ line: 3, character: 13 }, { line: 3, character: 12 }, 0]);

  const base = realTargets(scanDockerfile('FROM a AS st\nRUN --mount=from=st,target=/x ls\nFROM st\n'));
  assert.deepEqual([base.kind, base.name, base.at, base.declarationLine], ['from-base', 'st', { line: 2, character: 6 }, 0]);

  const mount = realTargets(scanDockerfile('FROM a AS st\nFROM b\nRUN --mount=type=cache,from=st,target=/x ls\n'));
  assert.deepEqual([mount.kind, mount.name, mount.at], ['mount-from', 'st', { line: 2, character: 29 }]);

  const image = realTargets(scanDockerfile('# syntax=docker/dockerfile:1\nARG V=1\nFROM --platform=$BUILDPLATFORM golang:${V} AS build\nCOPY --from=alpine / /\n'));
  assert.deepEqual([image.kind, image.name, image.at, image.start, image.declarationLine], ['image', 'golang:${V}', { line: 2, character: 32 }, { line: 2, character: 31 }, undefined]);
});

test('realTargets: one character typed in a comment, else at the end of the file', () => {
  const commented = 'FROM a AS x\n# first\nRUN true\n# second\nFROM b\nCOPY --from=x / /\n';
  const c = realTargets(scanDockerfile(commented));
  assert.deepEqual([c.edit, c.editText], [{ line: 3, character: 8 }, 'x']);
  assert.equal(insertAt(commented, c.edit, c.editText).split('\n')[3], '# secondx');

  const directiveOnly = '# syntax=docker/dockerfile:1\nFROM a\n';
  const d = realTargets(scanDockerfile(directiveOnly));
  assert.deepEqual([d.edit, d.editText], [{ line: 2, character: 0 }, '#']);
  assert.equal(insertAt(directiveOnly, d.edit, d.editText), `${directiveOnly}#`);

  const unterminated = 'FROM a AS x\nFROM b\nCOPY --from=x / /';
  const u = realTargets(scanDockerfile(unterminated));
  assert.deepEqual([u.edit, u.editText], [{ line: 2, character: 17 }, '\n']);
  assert.equal(insertAt(unterminated, u.edit, u.editText), `${unterminated}\n`);
});

test("corpus picks: moby's own Dockerfile, a multi-stage file of about 60 lines for the cold start", () => {
  const lines = (n: number, stages: number) => Array.from({ length: n }, (_, i) => (i < stages ? `FROM a AS s${i}` : 'RUN true')).join('\n') + '\n';
  const files = [
    { name: 'moby__moby__Dockerfile.windows', text: lines(300, 1) },
    { name: 'moby__moby__Dockerfile', text: lines(100, 5) },
    { name: 'b', text: lines(58, 2) },
    { name: 'a', text: lines(61, 1) },
    { name: 'c', text: lines(61, 3) },
  ];
  assert.equal(mobyFile(files)?.name, 'moby__moby__Dockerfile');
  assert.equal(mobyFile(files.filter((f) => f.name !== 'moby__moby__Dockerfile'))?.name, 'moby__moby__Dockerfile.windows');
  assert.equal(lineCount(files[2].text), 58);
  assert.deepEqual([coldStartFile(files).name, coldStartFile(files).lines], ['c', 61]);
  const generated = coldStartFile(undefined);
  assert.equal(generated.generated, true);
  assert.ok(scanDockerfile(generated.text).stages.length >= 2);
});
