/**
 * A seeded fuzzer that drives the bundled server (dist/server.js) over stdio as an editor would,
 * with broken Dockerfiles: mutations of the fixtures, of the real corpus at ../shared/corpus/real
 * when it is there and of the pathological families (test/support/pathological.ts). Each round
 * opens one document, edits it a few times and asks every request at random places.
 *
 * It holds when the server process never dies, answers every request within 0.5 s (2 s for a
 * document over 200 KB; a request over budget is asked once more, so that a busy machine does not
 * fail it), and publishes diagnostics for every version it is given time to. Every
 * round draws from its own generator, seeded from the run's seed and the round's number, so a
 * failure names the two numbers that replay it (`npm run fuzz -- --seed S --round R`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { pathToFileURL } from 'url';
import { Position, Range } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../support/lspClient';
import { corpusTexts, fixturePath, loadSuite } from '../support/fixtures';
import { FAMILIES } from '../support/pathological';
import { pick, prng } from '../support/random';

export interface FuzzOptions {
  seed: number;
  /** How many rounds, from `firstRound`. */
  rounds: number;
  firstRound?: number;
  /** Edits per round (each followed by requests). */
  edits?: number;
  log?: (line: string) => void;
}

export interface FuzzFailure {
  seed: number;
  round: number;
  what: string;
  text: string;
}

const LARGE = 200 * 1024;
const BUDGET_MS = 500;
const LARGE_BUDGET_MS = 2000;
/** A request or a publication this much later than its budget is taken as hung. */
const HUNG_FACTOR = 10;

type Rand = () => number;

let sources: string[] | undefined;
function sourceTexts(): string[] {
  return (sources ??= [...loadSuite('rules').map((c) => c.text), ...loadSuite('model').map((c) => c.text), ...corpusTexts()]);
}

// ---- Mutations: what a user typing, a tool or a broken file can do to a Dockerfile.

const SNIPPETS = [
  '<<EOF', '<<-EOT\n', 'EOF\n', '--from=', ',from=', '${', '$', '\\', '\\\n', '`', '`\n', '"', "'", '--', ' -- ', '\n', '\r\n', '\r',
  'FROM x AS y\n', 'FROM ', ' AS ', 'COPY --from=0 ', 'RUN --mount=type=bind,from=', 'ONBUILD ', '# escape=`\n', '# check=error=true\n',
  'ARG A=${B:-c}\n', '\t', '\u0000', '\uFEFF', '\u00a0', '\ud83d\udc33', '\ud800', 'FROM\\\n', 'COPY --FROM=x ', '#', ',', '=',
];

function randomCodePoints(rand: Rand): string {
  let s = '';
  for (let n = 1 + Math.floor(rand() * 8); n > 0; n--) {
    const r = rand();
    const cp = r < 0.6 ? 32 + Math.floor(rand() * 95) : r < 0.8 ? Math.floor(rand() * 32) : r < 0.95 ? Math.floor(rand() * 0xd800) : Math.floor(rand() * 0x10ffff);
    s += cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
  }
  return s;
}

function insertText(rand: Rand): string {
  return rand() < 0.7 ? pick(SNIPPETS, rand) : randomCodePoints(rand);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  const re = /\r\n|\r|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

const MUTATIONS: ((t: string, rand: Rand) => string)[] = [
  (t, rand) => {
    const at = Math.floor(rand() * (t.length + 1));
    return t.slice(0, at) + insertText(rand) + t.slice(at);
  },
  (t, rand) => {
    const at = Math.floor(rand() * (t.length + 1));
    return t.slice(0, at) + t.slice(at + 1 + Math.floor(rand() * 8));
  },
  (t, rand) => {
    const i = Math.floor(rand() * Math.max(1, t.length - 1));
    return t.slice(0, i) + t.charAt(i + 1) + t.charAt(i) + t.slice(i + 2);
  },
  (t, rand) => {
    const lines = t.split('\n');
    const i = Math.floor(rand() * lines.length);
    const j = Math.floor(rand() * lines.length);
    [lines[i], lines[j]] = [lines[j], lines[i]];
    return lines.join('\n');
  },
  (t, rand) => {
    const lines = t.split('\n');
    const i = Math.floor(rand() * lines.length);
    if (rand() < 0.5) lines.splice(i, 1);
    else lines.splice(i, 0, lines[Math.floor(rand() * lines.length)] ?? '');
    return lines.join('\n');
  },
  (t, rand) => t.slice(0, Math.floor(rand() * t.length)),
  (t) => t.replace(/\r?\n/g, '\r\n'),
  (t) => t.replace(/\r?\n/g, '\r'),
  (t) => '\uFEFF' + t,
  (t, rand) => {
    // Break a line: a stray escape character or a heredoc opener at its end.
    const starts = lineStarts(t);
    const at = Math.max(0, (starts[Math.floor(rand() * starts.length)] ?? 1) - 1);
    return t.slice(0, at) + pick([' \\', '\\', ' `', ' <<EOF', ' <<-"X"'], rand) + t.slice(at);
  },
];

function mutate(text: string, rand: Rand): string {
  let t = text;
  for (let n = Math.floor(rand() * 6); n > 0; n--) t = pick(MUTATIONS, rand)(t, rand);
  return t;
}

/** The build files of the fixture workspace, by the name a round gives its copy (a folder of its own, the file's name). */
const BUILD_FILES: [string, string][] = [
  ['compose.yaml', 'compose.yaml'],
  ['docker-bake.hcl', 'docker-bake.hcl'],
  ['docker-bake.json', 'bake-json/docker-bake.json'],
  ['.devcontainer/devcontainer.json', '.devcontainer/devcontainer.json'],
  ['.github/workflows/ci.yml', '.github/workflows/ci.yml'],
];

/** A round's document: a Dockerfile most of the time, else a mutated build file. */
function startDocument(rand: Rand, workspace: string, round: number): { text: string; from: string; file: string } {
  if (rand() < 0.15) {
    const [name, fixture] = pick(BUILD_FILES, rand);
    const text = fs.readFileSync(path.join(fixturePath('workspace'), fixture), 'utf8');
    // In a folder of the workspace whose app/ is the real one, so its Dockerfile paths mostly resolve.
    const file = name === 'compose.yaml' ? `compose.fuzz-${round}.yaml` : name;
    return { text: mutate(text, rand), from: `build file ${fixture}`, file: path.join(workspace, file) };
  }
  return { ...startText(rand), file: path.join(workspace, `fuzz-${round}`, 'Dockerfile') };
}

function startText(rand: Rand): { text: string; from: string } {
  const r = rand();
  if (r < 0.2) {
    const [name, generate] = pick(Object.entries(FAMILIES), rand);
    const n = 20 + Math.floor(rand() * (rand() < 0.2 ? 4000 : 400));
    return { text: rand() < 0.5 ? generate(n) : mutate(generate(n), rand), from: `${name} (n=${n})` };
  }
  if (r < 0.25) return { text: randomCodePoints(rand).repeat(1 + Math.floor(rand() * 200)), from: 'random code points' };
  const texts = sourceTexts();
  const i = Math.floor(rand() * texts.length);
  return { text: mutate(texts[i], rand), from: `source #${i}` };
}

// ---- The editor's side.

/** A place in the text as an editor sends it: a line and a UTF-16 character within it. */
function randomPosition(text: string, starts: number[], rand: Rand): Position {
  const line = Math.floor(rand() * starts.length);
  const end = line + 1 < starts.length ? starts[line + 1] : text.length;
  const content = text.slice(starts[line], end).replace(/[\r\n]+$/, '');
  return { line, character: Math.floor(rand() * (content.length + 1)) };
}

function offsetOf(starts: number[], p: Position): number {
  return starts[p.line] + p.character;
}

function randomEdit(text: string, rand: Rand): { range: Range; text: string; next: string } {
  const starts = lineStarts(text);
  let a = randomPosition(text, starts, rand);
  let b = rand() < 0.5 ? a : randomPosition(text, starts, rand);
  if (offsetOf(starts, b) < offsetOf(starts, a)) [a, b] = [b, a];
  const inserted = rand() < 0.3 ? '' : insertText(rand);
  const next = text.slice(0, offsetOf(starts, a)) + inserted + text.slice(offsetOf(starts, b));
  return { range: { start: a, end: b }, text: inserted, next };
}

function withGuard<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms);
  });
  return Promise.race([promise, hung]).finally(() => clearTimeout(timer));
}

/** Every request an editor makes at a place, with the follow-ups (resolve) it makes. */
function requestsAt(uri: string, p: Position): [string, unknown][] {
  const doc = { textDocument: { uri } };
  const range = { start: p, end: p };
  return [
    ['textDocument/definition', { ...doc, position: p }],
    ['textDocument/references', { ...doc, position: p, context: { includeDeclaration: true } }],
    ['textDocument/documentHighlight', { ...doc, position: p }],
    ['textDocument/prepareRename', { ...doc, position: p }],
    ['textDocument/rename', { ...doc, position: p, newName: 'renamed' }],
    ['textDocument/completion', { ...doc, position: p }],
    ['textDocument/hover', { ...doc, position: p }],
    ['textDocument/codeAction', { ...doc, range, context: { diagnostics: [] } }],
    ['textDocument/codeAction', { ...doc, range, context: { diagnostics: [], only: ['source.fixAll.dockerfileStages'] } }],
  ];
}

function documentRequests(uri: string): [string, unknown][] {
  const doc = { textDocument: { uri } };
  return [
    ['textDocument/documentSymbol', doc],
    ['textDocument/foldingRange', doc],
    ['textDocument/codeLens', doc],
    ['textDocument/semanticTokens/full', doc],
    ['dockerfileStages/stageGraph', doc],
    ['dockerfileStages/nameStage', { ...doc, stage: 0 }],
  ];
}

/** Runs rounds against one server; stops at the first failure and returns it. */
export async function fuzzServer(options: FuzzOptions): Promise<FuzzFailure | undefined> {
  const log = options.log ?? (() => undefined);
  const first = options.firstRound ?? 0;
  // The workspace folder: a copy of the fixture workspace, whose build files the server indexes.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-fuzz-'));
  fs.cpSync(fixturePath('workspace'), workspace, { recursive: true });
  let client = await TestClient.start({ folder: workspace });
  try {
    for (let round = first; round < first + options.rounds; round++) {
      const failure = await runRound(client, workspace, options.seed, round, options.edits ?? 4, log);
      if (failure) return failure;
      if (client.process.exitCode !== null || client.process.signalCode !== null) {
        return { seed: options.seed, round, what: 'the server process ended', text: '' };
      }
      // A fresh server now and then, so that start-up is fuzzed too and one bad state does not hide the next.
      if ((round + 1) % 50 === 0) {
        await client.stop();
        client = await TestClient.start({ folder: workspace });
      }
    }
    return undefined;
  } finally {
    if (client.process.exitCode === null) await client.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

async function runRound(client: TestClient, workspace: string, seed: number, round: number, edits: number, log: (line: string) => void): Promise<FuzzFailure | undefined> {
  const rand = prng((seed * 1000003 + round) >>> 0);
  const start = startDocument(rand, workspace, round);
  let text = start.text;
  const uri = pathToFileURL(start.file).href;
  const fail = (what: string): FuzzFailure => ({ seed, round, what: `${what} (from ${start.from})`, text });
  log(`round ${round}: ${start.from}, ${text.length} chars`);
  const logged = client.logs.length;
  try {
    await client.open(uri, text);
    for (let version = 1; ; version++) {
      const budget = text.length > LARGE ? LARGE_BUDGET_MS : BUDGET_MS;
      await withGuard(client.diagnosticsFor(uri, version), budget * HUNG_FACTOR, `diagnostics for version ${version}`);
      const starts = lineStarts(text);
      const asked: [string, unknown][] = [...documentRequests(uri)];
      for (let k = 0; k < 2; k++) asked.push(...requestsAt(uri, randomPosition(text, starts, rand)));
      for (const [method, params] of asked) {
        const ask = async () => {
          const began = performance.now();
          const answer = await withGuard(client.request<unknown>(method, params).catch((e: Error) => e), budget * HUNG_FACTOR, method);
          return { answer, took: performance.now() - began };
        };
        let { answer, took } = await ask();
        // Over budget once may be the machine (other test files run beside this one): asked
        // again, a slow answer is the server's.
        if (took > budget) ({ answer, took } = await ask());
        if (took > budget) return fail(`${method} took ${took.toFixed(0)} ms twice (budget ${budget} ms) at ${JSON.stringify(params)}`);
        // An answer is data, or for rename and prepareRename a refusal with its reason.
        if (answer instanceof Error && !/rename$/i.test(method)) return fail(`${method} failed: ${answer.message}`);
        if (method === 'textDocument/codeLens' && Array.isArray(answer)) {
          for (const lens of answer.slice(0, 3)) await withGuard(client.request('codeLens/resolve', lens), budget * HUNG_FACTOR, 'codeLens/resolve');
        }
      }
      if (version > edits) break;
      const edit = randomEdit(text, rand);
      text = edit.next;
      await client.change(uri, version + 1, [{ range: edit.range, text: edit.text }]);
    }
    await client.close(uri);
    client.diagnostics.delete(uri);
    // The server answers even when a feature throws, and logs it: any such line is a failure.
    const thrown = client.logs.slice(logged).find((l) => / failed on /.test(l));
    return thrown === undefined ? undefined : fail(`the server logged an exception: ${thrown.split('\n').slice(0, 4).join(' | ')}`);
  } catch (e) {
    return fail((e as Error).message);
  }
}
