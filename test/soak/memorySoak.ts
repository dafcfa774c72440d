/**
 * The memory soak's driver (test/soak/memory.soak.ts runs it; `npm run soak`): the bundled server
 * over stdio, a generated 1000-stage file opened, edited as typing does and closed, round after
 * round, with the server's RSS read from /proc after each round.
 *
 * Each edit (see Typist) is a didChange with a new version followed by one awaited request (a
 * hover at a random place, one time in ten the outline), so every version is analysed; a round
 * ends when the last version's diagnostics are published and the close's empty ones are. Waits
 * on messages, never on time.
 */
import { performance } from 'perf_hooks';
import { Position, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../support/lspClient';
import { generateDockerfile, stageName } from '../bench/generateDockerfile';
import { processMemory } from '../bench/procfs';
import { pick, prng } from '../support/random';

type Rand = () => number;

const TYPED = [...'abcdefghijklmnopqrstuvwxyz0123456789 -_=/.,:${}"\\'];

/** Whole lines an editor pastes or a user types, some naming stages of the generated file. */
function lineSnippets(stages: number): string[] {
  return [
    'RUN echo soak',
    '# a comment typed in',
    `COPY --from=${stageName(Math.min(7, stages - 2), stages)} /out/ /soak/`,
    `RUN --mount=type=bind,from=${stageName(Math.floor(stages / 3), stages)},target=/mnt true`,
    'ENV SOAK=1',
    'FROM alpine:3.20 AS soak',
    'ARG SOAK_ARG=on',
    'RUN <<EOF',
    'EOF',
    '',
  ];
}

type Edit = TextDocumentContentChangeEvent & { range: { start: Position; end: Position } };

/**
 * The document as the editor holds it, and a cursor. Each call of `next` makes one edit, applies
 * it here and returns it as the LSP change to send. Edits come in bursts at a random place: a few
 * characters typed and then erased, or erased and typed again (across a line break too), a whole
 * line inserted and deleted again, or deleted and put back. So the document is the opened text
 * again after each burst: a file left broken for good (a heredoc whose delimiter a stray
 * character changed swallows the rest of the file) would make every later edit re-parse thousands
 * of lines, a test of the parser rather than of memory.
 */
export class Typist {
  private readonly lines: string[];
  private line = 0;
  private character = 0;
  private readonly snippets: string[];
  private readonly planned: (() => Edit)[] = [];

  constructor(text: string, stages: number, private readonly rand: Rand) {
    this.lines = text.split('\n');
    this.snippets = lineSnippets(stages);
  }

  get text(): string {
    return this.lines.join('\n');
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** A random position in the document. */
  somewhere(): Position {
    const line = Math.floor(this.rand() * this.lines.length);
    return { line, character: Math.floor(this.rand() * (this.lines[line].length + 1)) };
  }

  /** Whether the last burst is done (the document is the opened text again). */
  get idle(): boolean {
    return this.planned.length === 0;
  }

  next(): Edit {
    if (this.planned.length === 0) this.plan();
    return this.planned.shift()!();
  }

  private plan(): void {
    ({ line: this.line, character: this.character } = this.somewhere());
    const r = this.rand();
    const n = 1 + Math.floor(this.rand() * 6);
    if (r < 0.6 || (r < 0.85 && this.line === 0 && this.character === 0)) {
      for (let i = 0; i < n; i++) {
        const c = pick(TYPED, this.rand);
        this.planned.push(() => this.type(c));
      }
      for (let i = 0; i < n; i++) this.planned.push(() => this.backspace().edit);
    } else if (r < 0.85) {
      // Erased back to the start of the line at most, or the line break before it.
      const k = this.character > 0 ? Math.min(n, this.character) : 1;
      const erased: string[] = [];
      for (let i = 0; i < k; i++) {
        this.planned.push(() => {
          const { edit, removed } = this.backspace();
          erased.push(removed);
          return edit;
        });
      }
      for (let i = 0; i < k; i++) this.planned.push(() => this.type(erased.pop()!));
    } else if (r < 0.95) {
      const inserted = pick(this.snippets, this.rand);
      this.planned.push(() => this.insertLine(inserted), () => this.deleteLine(this.line - 1));
    } else {
      if (this.line === this.lines.length - 1) this.line--;
      const kept = this.lines[this.line];
      this.planned.push(() => this.deleteLine(this.line), () => this.insertLine(kept));
    }
  }

  /** Types `c` (a character or a line break) at the cursor. */
  private type(c: string): Edit {
    const { line, character } = this;
    const text = this.lines[line];
    if (c === '\n') {
      this.lines.splice(line, 1, text.slice(0, character), text.slice(character));
      this.line++;
      this.character = 0;
    } else {
      this.lines[line] = text.slice(0, character) + c + text.slice(character);
      this.character++;
    }
    return { range: { start: { line, character }, end: { line, character } }, text: c };
  }

  /** Erases the character before the cursor, or the line break before its line. */
  private backspace(): { edit: Edit; removed: string } {
    const { line, character } = this;
    if (character > 0) {
      const text = this.lines[line];
      this.lines[line] = text.slice(0, character - 1) + text.slice(character);
      this.character--;
      return { edit: { range: { start: { line, character: character - 1 }, end: { line, character } }, text: '' }, removed: text[character - 1] };
    }
    const previous = this.lines[line - 1].length;
    this.lines.splice(line - 1, 2, this.lines[line - 1] + this.lines[line]);
    this.line--;
    this.character = previous;
    return { edit: { range: { start: { line: line - 1, character: previous }, end: { line, character: 0 } }, text: '' }, removed: '\n' };
  }

  /** Inserts a whole line above the cursor's line; the cursor stays on its text. */
  private insertLine(text: string): Edit {
    const line = this.line;
    this.lines.splice(line, 0, text);
    this.line++;
    return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: text + '\n' };
  }

  /** Deletes line `line` with its line break; the cursor goes to the start of the line after it. */
  private deleteLine(line: number): Edit {
    this.lines.splice(line, 1);
    this.line = line;
    this.character = 0;
    return { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' };
  }
}

export interface SoakOptions {
  seed: number;
  rounds: number;
  /** Edits per round, each followed by one awaited request. */
  edits: number;
  stages: number;
  /** RSS readings after each round (one after each cheap round-trip); the round's is their median. */
  readings: number;
  /** Called after each round. */
  onRound?: (round: RoundResult) => void;
  /** Called after each edit's request with its answer time (for profiling the soak itself). */
  onEdit?: (round: number, edit: number, ms: number, change: Edit, typist: Typist) => void;
}

export interface RoundResult {
  /** 0-based */
  round: number;
  uri: string;
  freshUri: boolean;
  /** The median of the readings after the round's close, MB. */
  rssMB: number;
  readingsMB: number[];
  /** The lowest and highest RSS read after the round's requests, MB. */
  lowMB: number;
  highMB: number;
  seconds: number;
}

export interface SoakResult {
  rounds: RoundResult[];
  /** VmHWM of the server at the end, MB. */
  peakMB: number;
  seconds: number;
  /** Log lines of the server that report an exception. */
  errors: string[];
  exitCode: number | null;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Runs the soak. Even rounds use one URI, odd rounds a fresh URI each. Throws when the server
 * dies or /proc cannot be read.
 */
export async function soak(options: SoakOptions): Promise<SoakResult> {
  const rand = prng(options.seed);
  const text = generateDockerfile(options.stages);
  const client = await TestClient.start();
  const pid = client.process.pid!;
  const rss = (): number => {
    const r = processMemory(pid).rssMB;
    if (r === null) throw new Error(`cannot read /proc/${pid}/status`);
    return r;
  };
  let round = 0;
  // Should the server die (out of memory, say), the wait fails at once instead of hanging. (Not
  // Promise.race with one long-lived promise: that keeps every raced answer until it settles.)
  const alive = <T>(p: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const server = client.process;
      const died = () => reject(new Error(`the server exited in round ${round + 1} (code ${server.exitCode}, signal ${server.signalCode})`));
      if (server.exitCode !== null || server.signalCode !== null) return died();
      server.once('exit', died);
      p.then(
        (v) => (server.off('exit', died), resolve(v)),
        (e) => (server.off('exit', died), reject(e)),
      );
    });

  const rounds: RoundResult[] = [];
  const started = performance.now();
  try {
    for (round = 0; round < options.rounds; round++) {
      const roundStarted = performance.now();
      const freshUri = round % 2 === 1;
      const uri = freshUri ? `file:///soak/round-${round + 1}/Dockerfile` : 'file:///soak/Dockerfile';
      const typist = new Typist(text, options.stages, rand);
      let lowMB = Infinity;
      let highMB = 0;
      await alive(client.open(uri, text, 1));
      let version = 1;
      for (let e = 0; e < options.edits; e++) {
        const change = typist.next();
        const sent = performance.now();
        await alive(client.change(uri, ++version, [change]));
        // One request per version, answered from that version's model: the server builds it.
        if (rand() < 0.1) await alive(client.request('textDocument/documentSymbol', { textDocument: { uri } }));
        else await alive(client.request('textDocument/hover', { textDocument: { uri }, position: typist.somewhere() }));
        options.onEdit?.(round, e, performance.now() - sent, change, typist);
        const now = rss();
        lowMB = Math.min(lowMB, now);
        highMB = Math.max(highMB, now);
      }
      await alive(client.diagnosticsFor(uri, version));
      const cleared = client.nextDiagnostics(uri, (p) => p.version === undefined && p.diagnostics.length === 0);
      await alive(client.close(uri));
      await alive(cleared);
      client.diagnostics.clear();

      const readingsMB: number[] = [];
      for (let i = 0; i < options.readings; i++) {
        // A cheap round-trip: a hover on the closed document, answered with nothing.
        await alive(client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }));
        readingsMB.push(rss());
      }
      const result: RoundResult = {
        round, uri, freshUri, rssMB: median(readingsMB), readingsMB, lowMB, highMB,
        seconds: (performance.now() - roundStarted) / 1000,
      };
      rounds.push(result);
      options.onRound?.(result);
    }
    const peakMB = processMemory(pid).peakRssMB ?? NaN;
    const errors = client.logs.filter((l) => / failed on /.test(l));
    return { rounds, peakMB, seconds: (performance.now() - started) / 1000, errors, exitCode: await client.stop() };
  } finally {
    if (client.process.exitCode === null && client.process.signalCode === null) client.process.kill();
  }
}
