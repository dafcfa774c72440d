/**
 * A stand-in `docker` for the tests that run builds through VS Code's task system: a sh script
 * that runs a node script, which writes the arguments it received and its working folder as
 * JSON (one file per run) into a records folder and exits 0. Used by the extension-host build
 * suite (test/vscode/suite/build.suite.ts) and the code-server UI test of the stage commands.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface DockerRun {
  argv: string[];
  cwd: string;
}

/**
 * Writes `docker` into `bin`, run by `runtime` (a node, or Electron run as node), recording
 * into `records`.
 */
export function writeStandInDocker(bin: string, records: string, runtime: string): string {
  const recorder = path.join(bin, 'record-docker-run.js');
  fs.writeFileSync(recorder, [
    "const fs = require('fs');",
    "const path = require('path');",
    `const file = path.join(${JSON.stringify(records)}, Date.now() + '-' + process.pid + '.json');`,
    'fs.writeFileSync(file, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() }));',
    '',
  ].join('\n'));
  for (const p of [runtime, recorder]) {
    if (p.includes("'")) throw new Error(`${p} cannot be single-quoted in the stand-in docker script`);
  }
  const docker = path.join(bin, 'docker');
  fs.writeFileSync(docker, `#!/bin/sh\nELECTRON_RUN_AS_NODE=1 exec '${runtime}' '${recorder}' "$@"\n`);
  fs.chmodSync(docker, 0o755);
  return docker;
}

/** The runs recorded in `records`, oldest first. */
export function dockerRuns(records: string): DockerRun[] {
  return fs.readdirSync(records)
    .filter((f) => f.endsWith('.json'))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b))
    .map((f) => JSON.parse(fs.readFileSync(path.join(records, f), 'utf8')) as DockerRun);
}
