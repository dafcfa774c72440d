/** The CLI reads the ignore file beside each Dockerfile (dist/cli.js, as CI runs it). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from '../support/fixtures';

const CLI = path.join(repoRoot(), 'dist', 'cli.js');

function run(args: string[], cwd: string, input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the CLI and the build context ignore file', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-cli-ignore-'));
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(path.join(dir, 'app', 'Dockerfile'), 'FROM alpine\nCOPY dist/app /app\nCOPY src /src\n');
    fs.writeFileSync(path.join(dir, 'app', '.dockerignore'), 'dist\n');
    // The Dockerfile-specific one wins for its Dockerfile, and is no Dockerfile itself.
    fs.writeFileSync(path.join(dir, 'app', 'tools.Dockerfile'), 'FROM alpine\nCOPY dist/app /app\nCOPY src /src\n');
    fs.writeFileSync(path.join(dir, 'app', 'tools.Dockerfile.dockerignore'), 'src\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('CopyIgnoredFile for the files each Dockerfile\'s ignore file leaves out', () => {
    const r = run(['--format=json', 'app'], dir);
    assert.equal(r.code, 0, r.stderr);
    const findings = JSON.parse(r.stdout) as { file: string; line: number; column: number; code: string; message: string }[];
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.column, f.code]).sort(),
      [
        [path.join('app', 'Dockerfile'), 2, 6, 'CopyIgnoredFile'],
        [path.join('app', 'tools.Dockerfile'), 3, 6, 'CopyIgnoredFile'],
      ],
    );
    assert.match(findings.find((f) => f.file.endsWith('tools.Dockerfile'))!.message, /\(tools\.Dockerfile\.dockerignore\)/);
  });

  test('standard input has no folder, so no ignore file', () => {
    const r = run(['-'], path.join(dir, 'app'), 'FROM alpine\nCOPY dist/app /app\n');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '1 file checked: no findings.\n');
  });
});
