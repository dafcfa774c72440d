/**
 * Neovim as a real LSP client: `nvim --headless -u test/nvim/init.lua Dockerfile` starts the
 * bundled server with Neovim's own client (vim.lsp.start_client, over stdio, the Dockerfile's
 * folder as root_dir), and init.lua plays a plan (definition, references, hover, code actions,
 * rename, then a definition from the Compose file beside the Dockerfile) and writes what Neovim
 * got and showed to a JSON file. This checks that JSON: the diagnostics Neovim shows, where
 * `gd` lands, the buffer after the rename edit was applied, that the server re-published
 * diagnostics for the edited version, that `gd` on a Compose `target:` lands on the stage in
 * the Dockerfile, and that the server exited cleanly. Skipped, with the reason, without Neovim.
 *
 * The folder is a copy of test/fixtures/e2e: its compose.yaml and docker-bake.hcl build stage
 * test, so once the server has read them (in the background, after it starts) that stage is no
 * unreachable stage; the plan waits for those diagnostics.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureDebianCommand, extensionDir, fixtureWorkspace, repoRoot, tempDir } from './support';

interface Pos { line: number; character: number }
interface Range { start: Pos; end: Pos }
interface Shown { lnum: number; col: number; end_lnum: number; end_col: number; severity: number; message: string; source: string; code: string }
interface Published { uri: string; version?: number; diagnostics: { code: string; range: Range; severity: number; message: string; relatedInformation?: unknown[] }[] }
interface NvimResult {
  error?: string;
  steps: string[];
  nvim: { major: number; minor: number; patch: number };
  filetype: string;
  uri: string;
  server_capabilities: Record<string, unknown>;
  diagnostics: Shown[];
  published: Published[];
  first_publish_version: number;
  definition: { targetUri: string; targetSelectionRange: Range; originSelectionRange: Range }[];
  cursor_after_definition: { line: number; col: number; text: string };
  references: { uri: string; range: Range }[];
  hover: { contents: { kind: string; value: string } };
  code_action_provider: boolean;
  code_actions?: { code: string; line: number; actions: { title: string; kind?: string; edit?: unknown; command?: unknown }[]; err?: unknown }[];
  applied_code_action?: { title: string; line: string };
  published_after_code_action?: Published;
  line_after_undo?: string;
  prepare_rename: { placeholder: string; range: Range };
  renamed_lines: string[];
  version_after_rename: number;
  published_after_rename: Published;
  diagnostics_after_rename: Shown[];
  definition_in: {
    filetype: string;
    uri: string;
    published: Published;
    answer: { targetUri: string; targetSelectionRange: Range }[];
    cursor: { line: number; col: number; text: string; same_buffer: boolean };
  };
  server_exit: { code: number; signal: number };
}

const skipReason = ensureDebianCommand('nvim', 'neovim');

describe('Neovim (vim.lsp, stdio)', { skip: skipReason }, () => {
  let dir: string;
  let file: string;
  let result: NvimResult;
  let original: string[];
  let elapsedMs = 0;

  before(() => {
    dir = tempDir('nvim');
    file = path.join(fixtureWorkspace(dir), 'Dockerfile');
    original = fs.readFileSync(file, 'utf8').split('\n');
    const resultPath = path.join(dir, 'result.json');
    const at = (line: number, text: string, nth = 0): Pos => {
      let character = -1;
      for (let i = 0; i <= nth; i++) character = original[line].indexOf(text, character + 1);
      assert.ok(character >= 0, `"${text}" on line ${line}`);
      return { line, character: character + 1 };
    };
    const composeFile = path.join(path.dirname(file), 'compose.yaml');
    const compose = fs.readFileSync(composeFile, 'utf8').split('\n');
    const plan = {
      // Once compose.yaml and docker-bake.hcl are read, stage test is built: no UnreachableStage.
      diagnostics: ['UnknownStageReference', 'NumericStageReference'],
      definition: at(10, '=build'), //  COPY --from=build → FROM … AS build
      references: at(1, ' build'),
      hover: at(5, 'build'),
      codeAction: { code: 'UnknownStageReference' },
      rename: { ...at(1, ' build'), newName: 'builder' },
      // `      target: test` in compose.yaml → FROM builder AS test (the renamed buffer).
      definitionIn: { file: composeFile, line: 6, character: compose[6].indexOf('test') + 1 },
      timeout: 15000,
    };
    const started = Date.now();
    const run = spawnSync('nvim', ['--headless', '-u', path.join(repoRoot(), 'test', 'nvim', 'init.lua'), file], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        E2E_SERVER: path.join(extensionDir(), 'dist', 'server.js'),
        E2E_NODE: process.execPath,
        E2E_RESULT: resultPath,
        E2E_PLAN: JSON.stringify(plan),
        XDG_CONFIG_HOME: path.join(dir, 'config'),
        XDG_DATA_HOME: path.join(dir, 'data'),
        XDG_STATE_HOME: path.join(dir, 'state'),
        XDG_CACHE_HOME: path.join(dir, 'cache'),
      },
    });
    elapsedMs = Date.now() - started;
    const output = `exit ${run.status} signal ${run.signal}\n${run.stdout}\n${run.stderr}`;
    assert.ok(fs.existsSync(resultPath), `nvim wrote no result: ${output}`);
    result = JSON.parse(fs.readFileSync(resultPath, 'utf8')) as NvimResult;
    assert.equal(result.error, undefined, `init.lua failed at step ${result.steps.at(-1)}: ${result.error}`);
    assert.equal(run.status, 0, output);
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('Neovim recognises the file, starts the server over stdio and ran every step', (t) => {
    t.diagnostic(`Neovim ${result.nvim.major}.${result.nvim.minor}.${result.nvim.patch}, ${elapsedMs} ms`);
    assert.equal(result.filetype, 'dockerfile');
    const codeAction = result.code_action_provider ? ['codeAction', 'apply code action'] : ['codeAction'];
    assert.deepEqual(result.steps, ['diagnostics', 'definition', 'references', 'hover', ...codeAction, 'rename', 'diagnostics after rename', 'definitionIn', 'shutdown', 'done']);
    assert.equal(result.first_publish_version, 0, "the first publish names the version Neovim opened the buffer with");
  });

  test('the diagnostics Neovim shows: the typo and the numeric reference (stage test is built by compose.yaml)', () => {
    const shown = result.diagnostics.map((d) => [d.code, d.lnum, d.col, d.end_lnum, d.end_col, d.severity]);
    assert.deepEqual(shown, [
      ['UnknownStageReference', 9, 12, 9, 16, 2], //    --from=buld (warning)
      ['NumericStageReference', 11, 12, 11, 13, 3], //  --from=0 (information)
    ]);
    assert.ok(result.diagnostics.every((d) => d.source === 'dockerfile-stages'));
    assert.match(result.diagnostics[0].message, /Did you mean "build"\?/);
    const typo = result.published[0].diagnostics.find((d) => d.code === 'UnknownStageReference');
    assert.equal(typo?.relatedInformation?.length, 1, 'Neovim advertises relatedInformation and gets it');
  });

  test('go to definition from COPY --from=build lands on FROM … AS build', () => {
    assert.equal(result.definition.length, 1);
    assert.deepEqual(result.definition[0].targetSelectionRange, { start: { line: 1, character: 20 }, end: { line: 1, character: 25 } });
    assert.deepEqual(result.cursor_after_definition, { line: 1, col: 20, text: 'FROM golang:1.22 AS build' });
  });

  test('references: the declaration and every use, the numeric --from=0 included', () => {
    assert.deepEqual(result.references.map((r) => [r.range.start.line, r.range.start.character]), [[1, 20], [5, 5], [10, 12], [11, 12]]);
    assert.ok(result.references.every((r) => r.uri === result.uri));
  });

  test('hover on FROM build describes stage 0', () => {
    assert.equal(result.hover.contents.kind, 'markdown');
    assert.match(result.hover.contents.value, /\*\*Stage `build`\*\* \(stage 0\)/);
  });

  test('code actions for the diagnostics (when the server offers them)', (t) => {
    if (!result.code_action_provider) {
      t.diagnostic('the server does not advertise codeActionProvider: nothing to ask Neovim for');
      assert.equal(result.code_actions, undefined);
      return;
    }
    const typo = result.code_actions?.find((c) => c.code === 'UnknownStageReference');
    assert.ok(typo, 'asked for the typo');
    assert.equal(typo.err, undefined);
    const titles = typo.actions.map((a) => a.title);
    t.diagnostic(`quick fixes for --from=buld: ${JSON.stringify(titles)}`);
    assert.ok(titles.some((title) => /build/.test(title)), `a fix names the stage "build": ${JSON.stringify(titles)}`);
    // Applied by Neovim: the line is fixed, the server agrees (no typo left), :undo restores it.
    assert.ok(result.applied_code_action, 'a fix with an edit was applied');
    assert.equal(result.applied_code_action.line, 'COPY --from=build /out/app /usr/local/bin/app');
    assert.ok(!result.published_after_code_action?.diagnostics.some((d) => d.code === 'UnknownStageReference'), 'no typo after the fix');
    assert.equal(result.line_after_undo, 'COPY --from=buld /out/app /usr/local/bin/app');
  });

  test('rename build → builder, applied by Neovim: every named use changes, --from=0 and the typo stay', () => {
    assert.equal(result.prepare_rename.placeholder, 'build');
    const expected = [...original];
    expected[1] = 'FROM golang:1.22 AS builder';
    expected[5] = 'FROM builder AS test';
    expected[10] = 'COPY --from=builder /out/app /usr/local/bin/app-copy';
    // nvim_buf_get_lines has no entry for the text after the final newline.
    assert.deepEqual(result.renamed_lines, expected.slice(0, -1));
  });

  test('after the edit the server publishes diagnostics for the new version, and exits cleanly', () => {
    assert.equal(result.published_after_rename.version, result.version_after_rename);
    const after = result.diagnostics_after_rename.map((d) => [d.code, d.lnum]);
    assert.deepEqual(after, [['UnknownStageReference', 9], ['NumericStageReference', 11]]);
    assert.match(result.diagnostics_after_rename[1].message, /stage "builder"/, 'the analysis follows the edited buffer');
    assert.deepEqual(result.server_exit, { code: 0, signal: 0 });
  });

  test('gd on a target in the Compose file beside the Dockerfile lands on the stage, in the edited buffer', () => {
    const compose = result.definition_in;
    assert.equal(compose.filetype, 'yaml', 'Neovim opens compose.yaml as yaml, and the client is attached to it');
    // The server read the folder's compose.yaml and checks it: the misspelt target of service web.
    assert.deepEqual(compose.published.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['UnknownBuildTarget', 10, 14]]);
    assert.equal(compose.answer.length, 1);
    assert.equal(compose.answer[0].targetUri, result.uri);
    // Line 5 after the rename reads `FROM builder AS test`: the open buffer, not the file on disk.
    assert.deepEqual(compose.answer[0].targetSelectionRange, { start: { line: 5, character: 16 }, end: { line: 5, character: 20 } });
    assert.deepEqual(compose.cursor, { line: 5, col: 16, text: 'FROM builder AS test', same_buffer: true });
  });
});
