/**
 * The builder pattern found on disk (workspace/builderPatternFiles.ts) and reported by the CLI
 * (dist/cli.js, as CI runs it) for a folder given on the command line.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BuilderPatternFiles, findBuilderPattern, movesArtifacts } from '../../server/src/workspace/builderPatternFiles';
import { repoRoot } from '../support/fixtures';

const CLI = path.join(repoRoot(), 'dist', 'cli.js');
const SCRIPT = '#!/bin/sh\nset -e\ndocker build -t app:build . -f Dockerfile.build\ndocker container create --name extract app:build\ndocker container cp extract:/go/src/app/app ./app\ndocker container rm -f extract\ndocker build --no-cache -t app:latest .\n';

describe('the builder pattern on disk', () => {
  let dir: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-builder-'));
    write('app/Dockerfile', 'FROM alpine:latest\nRUN apk --no-cache add ca-certificates\nWORKDIR /root/\nCOPY app .\nCMD ["./app"]\n');
    write('app/Dockerfile.build', 'FROM golang:1.7.3\nWORKDIR /go/src/app/\nCOPY app.go .\nRUN go build -o app .\n');
    write('app/build.sh', SCRIPT);
    // A build Dockerfile without a script that moves files: no builder pattern.
    write('lone/Dockerfile', 'FROM alpine\nCOPY app /app\n');
    write('lone/build.Dockerfile', 'FROM golang\nRUN go build -o /app .\n');
    write('lone/build.sh', '#!/bin/sh\ndocker build -f build.Dockerfile .\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('docker create and docker cp (or their container forms) in a script are what moves artifacts', () => {
    assert.equal(movesArtifacts(SCRIPT), true);
    assert.equal(movesArtifacts('id=$(docker create img)\ndocker cp $id:/out ./out\n'), true);
    assert.equal(movesArtifacts('docker create img\n'), false);
    assert.equal(movesArtifacts('docker build .\ndocker run --rm img cp /a /b\n'), false);
  });

  test('found beside the small Dockerfile, not beside the builder\'s, nor without the script', () => {
    assert.deepEqual(findBuilderPattern(path.join(dir, 'app', 'Dockerfile')), { buildDockerfile: 'Dockerfile.build', script: 'build.sh' });
    assert.equal(findBuilderPattern(path.join(dir, 'app', 'Dockerfile.build')), undefined);
    assert.equal(findBuilderPattern(path.join(dir, 'lone', 'Dockerfile')), undefined);
    assert.equal(findBuilderPattern(path.join(dir, 'missing', 'Dockerfile')), undefined);
  });

  test('kept while the folder does not change, looked at again when the script changes', () => {
    const files = new BuilderPatternFiles();
    const file = path.join(dir, 'lone', 'Dockerfile');
    assert.equal(files.find(file), undefined);
    fs.appendFileSync(path.join(dir, 'lone', 'build.sh'), 'docker create --name x img\ndocker cp x:/app ./app\n');
    const found = files.find(file);
    assert.deepEqual(found, { buildDockerfile: 'build.Dockerfile', script: 'build.sh' });
    assert.equal(files.find(file), found, 'the same answer while nothing changes');
  });

  test('a folder without a builder\'s Dockerfile is not listed again until an entry comes or goes; then it is', () => {
    write('plain/Dockerfile', 'FROM alpine\nCOPY app /app\n');
    const files = new BuilderPatternFiles();
    const file = path.join(dir, 'plain', 'Dockerfile');
    const listed: string[] = [];
    // The module object itself (the namespace import reads through to it): its listings are counted.
    const nodeFs = require('fs') as { readdirSync: unknown };
    const readdirSync = nodeFs.readdirSync;
    nodeFs.readdirSync = (p: string, ...rest: unknown[]) => {
      listed.push(path.basename(p));
      return (readdirSync as (...a: unknown[]) => unknown)(p, ...rest);
    };
    try {
      assert.equal(files.find(file), undefined);
      assert.equal(files.find(file), undefined);
      assert.deepEqual(listed, ['plain'], 'listed once while the folder stays as it was');
      write('plain/build.sh', SCRIPT.replace('Dockerfile.build', 'Dockerfile.builder'));
      write('plain/Dockerfile.builder', 'FROM golang\nRUN go build -o /app .\n');
      assert.deepEqual(files.find(file), { buildDockerfile: 'Dockerfile.builder', script: 'build.sh' });
      assert.deepEqual(listed, ['plain', 'plain']);
    } finally {
      nodeFs.readdirSync = readdirSync;
    }
  });

  test('the CLI reports it on the small Dockerfile of a folder it is given', () => {
    const r = spawnSync(process.execPath, [CLI, '--format=json', 'app'], { encoding: 'utf8', cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const findings = JSON.parse(r.stdout) as { file: string; line: number; column: number; code: string; severity: string; message: string }[];
    assert.deepEqual(findings.map((f) => [f.file, f.line, f.column, f.code, f.severity]), [[path.join('app', 'Dockerfile'), 1, 1, 'BuilderPattern', 'information']]);
    assert.match(findings[0].message, /^build\.sh builds Dockerfile\.build, copies its artifacts out with docker create and docker cp/);
    const off = spawnSync(process.execPath, [CLI, '--severity', 'BuilderPattern=off', 'app'], { encoding: 'utf8', cwd: dir });
    assert.equal(off.stdout, '2 files checked: no findings.\n');
  });
});
