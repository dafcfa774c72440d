/**
 * "Split into a build stage and a runtime stage": the refactoring of ToolchainInFinalStage.
 *
 * The last stage keeps every build instruction and gets a name (`build`, unless taken); a new
 * last stage starts FROM a small runtime image (ecosystems.ts runtimeImageFor, or the user's
 * `dockerfileStages.advisor.runtimeImages`), takes the build's working folder, copies the
 * artifact with `COPY --from=build` to the same path (so that the moved commands find it where
 * they did), and receives the CMD, ENTRYPOINT and EXPOSE instructions and a USER that no build
 * instruction follows (a USER that build steps run under stays, and is repeated below).
 *
 * The artifact comes from the build command where it says (`go build -o`, `dotnet publish -o`,
 * `gcc -o`), else from the program the moved CMD or ENTRYPOINT runs, else from the tool's usual
 * output (`target/release/` for Cargo, `target/*.jar` for Maven, `build/libs/*.jar` for Gradle,
 * `/go/bin/` for `go install`, `dist` for Node.js). What it cannot know, or only guesses (Node's
 * `dist`), is written as a placeholder the fix points at (CodeFix.placeholder): `<binary>` in a
 * path, which the user replaces.
 *
 * The stage is rewritten with one edit, from its FROM line to the end of the file (it is the
 * last stage), which keeps the moved lines and the inserted ones from touching.
 */
import { Range } from '../../analysis/positions';
import { Stage, StageModel } from '../../analysis/stageModel';
import { InstructionSyntax } from '../../analysis/syntax';
import { freeStageName } from '../../edits/nameStage';
import { SourceText, eolOf } from '../../edits/sourceText';
import { CodeFix } from '../rule';
import { commandWords, execForm, flagValue, joinPath, runCommands, workdirs } from './commands';
import { EcosystemId, SHELL_RUNTIME, Toolchain, runtimeImageFor } from './ecosystems';

const MOVED: ReadonlySet<string> = new Set(['CMD', 'ENTRYPOINT', 'EXPOSE']);
/** Instructions a USER above them changes (they run, or write files, as that user). */
const RUNS_AS_USER: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);
/** Users the runtime images have (distroless: nonroot; node: node; .NET 8: app), besides numbers. */
const KNOWN_USERS: ReadonlySet<string> = new Set(['root', 'nonroot', 'nobody', 'node', 'app']);
/** A shell-form command that exec form writes the same: plain words, nothing the shell would read. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

interface Artifact {
  source: string;
  destination: string;
  /** The part of `source` the user should fill in or check. */
  hole?: string;
}

interface NodeRuntime {
  manifests: string[];
  install: string | undefined;
}

export function splitBuildStage(
  model: StageModel,
  stage: Stage,
  toolchain: Toolchain,
  source: SourceText,
  configured: Readonly<Partial<Record<EcosystemId, string>>>,
): CodeFix | undefined {
  const from = stage.syntax.from;
  if (!from.base || (from.args.length !== 1 && !(stage.name && from.args.length === 3))) return undefined;
  const buildName = stage.name ?? freeStageName(model, stage.index, ['build', 'builder']);
  const runtimeName = freeStageName(model, stage.index + 1, ['runtime', 'app', 'final'].filter((n) => n !== buildName?.toLowerCase()));
  if (!buildName || !runtimeName) return undefined;
  const instructions = stage.syntax.instructions;
  const dirs = workdirs(stage);
  const finalDir = dirs[dirs.length - 1];
  if (finalDir === undefined) return undefined;

  // What moves: CMD, ENTRYPOINT, EXPOSE, and a USER no build instruction follows.
  const lastBuildStep = instructions.reduce((last, ins, i) => (RUNS_AS_USER.has(ins.keyword) ? i : last), -1);
  const moved = instructions.filter((ins, i) => MOVED.has(ins.keyword) || (ins.keyword === 'USER' && i > lastBuildStep));
  const users = instructions.filter((ins) => ins.keyword === 'USER');
  const lastUser = users[users.length - 1];
  const program = programOf(instructions, finalDir);

  const hints = {
    staticBinary: instructions.some((i) => i.assigns.includes('CGO_ENABLED') || /\bCGO_ENABLED=0\b/.test(`${i.facts?.args?.text ?? ''}\n${i.facts?.script ?? ''}`)),
    web: instructions.some((i) => i.keyword === 'EXPOSE' || i.assigns.some((a) => a.startsWith('ASPNETCORE_'))),
  };
  let runtime = runtimeImageFor(toolchain.ecosystem, stage.baseRef!.value, hints, configured);
  const lineText = (l: number) => source.lineText(l).slice(source.prefixLength(l));
  const textOf = (ins: InstructionSyntax): string[] => {
    const out: string[] = [];
    for (let l = ins.range.start.line; l <= ins.range.end.line; l++) out.push(lineText(l));
    return out;
  };

  // The moved CMD and ENTRYPOINT, in exec form where the runtime image has no shell.
  const movedText = new Map<InstructionSyntax, string[]>();
  let needsShell = false;
  for (const ins of moved) {
    let text = textOf(ins);
    if ((ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') && !ins.facts?.json && !runtime.hasShell) {
      const words = (ins.facts?.args?.text ?? '').split(/\s+/).filter((w) => w !== '');
      if (words.length > 0 && words.every((w) => PLAIN_WORD.test(w))) text = [`${ins.keywordText} ${JSON.stringify(words).replace(/","/g, '", "')}`];
      else needsShell = true;
    }
    movedText.set(ins, text);
  }
  if (needsShell && !configured[toolchain.ecosystem]) runtime = { image: SHELL_RUNTIME, hasShell: true };

  const upper = from.keywordText !== from.keywordText.toLowerCase();
  const kw = (k: string) => (upper ? k : k.toLowerCase());
  const artifacts = artifactsOf(toolchain.ecosystem, instructions, dirs, finalDir, program);
  const node = toolchain.ecosystem === 'node' ? nodeRuntime(instructions, dirs) : undefined;

  // The build stage: the stage's lines without the moved ones, its FROM named.
  const first = from.range.start.line;
  const last = source.lineCount - 1;
  const movedLines = new Set<number>();
  for (const ins of moved) for (let l = ins.range.start.line; l <= ins.range.end.line; l++) movedLines.add(l);
  const build: string[] = [];
  for (let l = first; l <= last; l++) {
    if (movedLines.has(l)) continue;
    let t = lineText(l);
    if (!stage.name && l === from.base.range.end.line) {
      const at = from.base.range.end.character - source.prefixLength(l);
      t = `${t.slice(0, at)} ${kw('AS')} ${buildName}${t.slice(at)}`;
    }
    build.push(t);
  }
  while (build.length > 0 && build[build.length - 1].trim() === '') build.pop();

  const indent = source.indentation(first);
  const runtimeLines: string[] = [`${indent}${from.keywordText} ${runtime.image} ${kw('AS')} ${runtimeName}`];
  if (finalDir !== '/') runtimeLines.push(`${indent}${kw('WORKDIR')} ${finalDir}`);
  if (node) {
    runtimeLines.push(`${indent}${kw('COPY')} --from=${buildName} ${node.manifests.join(' ')} ./`);
    if (node.install) runtimeLines.push(`${indent}${kw('RUN')} ${node.install}`);
  }
  let hole: { line: number; character: number; length: number } | undefined;
  for (const a of artifacts) {
    const line = `${indent}${kw('COPY')} --from=${buildName} ${a.source} ${a.destination}`;
    if (a.hole && !hole) hole = { line: runtimeLines.length, character: line.length - a.destination.length - 1 - a.source.length + a.source.lastIndexOf(a.hole), length: a.hole.length };
    runtimeLines.push(line);
  }
  const userName = lastUser ? /^\S+/.exec(lastUser.facts?.args?.text ?? lastUser.summary)?.[0].split(':')[0] : undefined;
  if (userName && !/^\d+$/.test(userName) && !KNOWN_USERS.has(userName) && !userName.includes('$')) {
    // A user the build stage made (useradd) is not in the runtime image: its account files come along.
    runtimeLines.push(`${indent}${kw('COPY')} --from=${buildName} /etc/passwd /etc/group /etc/`);
  }
  if (lastUser && !moved.includes(lastUser)) runtimeLines.push(...textOf(lastUser));
  for (const ins of moved) runtimeLines.push(...movedText.get(ins)!);

  const eol = eolOf(source);
  const endsWithEol = source.lineText(last) === '' && last > 0;
  const buildText = build.join(eol);
  const runtimeText = runtimeLines.join(eol);
  const newText = `${buildText}${eol}${eol}${runtimeText}${endsWithEol ? eol : ''}`;
  const start = { line: first, character: source.prefixLength(first) };
  const end = { line: last, character: source.lineText(last).length };

  const fix: CodeFix = {
    title: 'Split into a build stage and a runtime stage',
    kind: 'quickfix',
    edits: [{ range: { start, end }, newText }],
    isPreferred: true,
  };
  if (hole) {
    // The runtime stage starts after the build stage's lines and a blank line.
    const line = first + build.length + 1 + hole.line;
    fix.placeholder = { start: { line, character: hole.character }, end: { line, character: hole.character + hole.length } } satisfies Range;
  }
  return fix;
}

/** The program the last ENTRYPOINT (else CMD) runs and its words, with relative paths resolved in `dir`. */
function programOf(instructions: readonly InstructionSyntax[], dir: string): string[] {
  const pick = [...instructions].reverse().find((i) => i.keyword === 'ENTRYPOINT') ?? [...instructions].reverse().find((i) => i.keyword === 'CMD');
  const args = pick?.facts?.args?.text ?? '';
  const words = execForm(args) ?? commandWords(args);
  if (words.length > 0 && words[0].includes('/')) words[0] = joinPath(dir, words[0]);
  return words;
}

/** The last simple command of the stage that matches, with the working folder it runs in. */
function lastCommand(instructions: readonly InstructionSyntax[], dirs: readonly (string | undefined)[], pattern: RegExp): { words: string[]; dir: string } | undefined {
  let found: { words: string[]; dir: string } | undefined;
  instructions.forEach((ins, i) => {
    for (const c of runCommands(ins)) if (pattern.test(c.text)) found = { words: commandWords(c.text), dir: dirs[i] ?? '/' };
  });
  return found;
}

/** A path the program names, when it is inside `dir`. */
function programIn(program: readonly string[], dir: string): string | undefined {
  const p = program[0];
  return p && p.startsWith('/') && p.startsWith(`${dir}/`) ? p : undefined;
}

function basename(p: string | undefined): string | undefined {
  if (!p || p.endsWith('/')) return undefined;
  return p.slice(p.lastIndexOf('/') + 1) || undefined;
}

/** Where the build leaves its result, per ecosystem (the header says how it is found). */
function artifactsOf(ecosystem: EcosystemId, instructions: readonly InstructionSyntax[], dirs: readonly (string | undefined)[], finalDir: string, program: readonly string[]): Artifact[] {
  const same = (path: string): Artifact => ({ source: path, destination: path });
  const folder = (dir: string) => (dir === '/' ? '/' : `${dir}/`);
  const unknownIn = (dir: string, hole = '<binary>'): Artifact => ({ source: `${folder(dir)}${hole}`, destination: folder(finalDir), hole });
  const withSlash = (p: string, dirLike: boolean) => (dirLike && !p.endsWith('/') ? `${p}/` : p);
  switch (ecosystem) {
    case 'go': {
      const build = lastCommand(instructions, dirs, /^go\s+build\b/);
      const out = build && flagValue(build.words, ['-o']);
      if (out) return [same(withSlash(joinPath(build.dir, out), out.endsWith('/')))];
      if (!build && lastCommand(instructions, dirs, /^go\s+install\b/)) return [same('/go/bin/')];
      if (program[0]?.startsWith('/')) return [same(program[0])];
      return [unknownIn(finalDir)];
    }
    case 'rust': {
      const install = lastCommand(instructions, dirs, /^cargo\s+install\b/);
      const build = lastCommand(instructions, dirs, /^cargo\s+build\b/);
      let dir: string;
      if (build) {
        const release = build.words.includes('--release') || build.words.includes('-r');
        const triple = flagValue(build.words, ['--target']);
        dir = joinPath(build.dir, `${flagValue(build.words, ['--target-dir']) ?? 'target'}/${triple ? `${triple}/` : ''}${release ? 'release' : 'debug'}`);
      } else if (install) {
        dir = `${flagValue(install.words, ['--root']) ?? '/usr/local/cargo'}/bin`;
      } else {
        return [unknownIn(finalDir)];
      }
      const exact = programIn(program, dir);
      if (exact) return [same(exact)];
      const name = !program[0]?.includes('/') ? undefined : basename(program[0]);
      return name ? [{ source: `${dir}/${name}`, destination: program[0] }] : [{ source: `${dir}/<binary>`, destination: `${dir}/`, hole: '<binary>' }];
    }
    case 'java': {
      const jar = program[0] === 'java' ? flagValue(program, ['-jar']) : undefined;
      if (jar && !jar.includes('*') && !jar.includes('$')) return [same(joinPath(finalDir, jar))];
      const maven = lastCommand(instructions, dirs, /^(?:mvn|\S*\/mvnw)\b/);
      if (maven) return [{ source: joinPath(maven.dir, 'target') + '/*.jar', destination: joinPath(maven.dir, 'target') + '/' }];
      const gradle = lastCommand(instructions, dirs, /^(?:gradle|\S*\/gradlew)\b/);
      if (gradle) return [{ source: joinPath(gradle.dir, 'build/libs') + '/*.jar', destination: joinPath(gradle.dir, 'build/libs') + '/' }];
      return [unknownIn(finalDir, '<classes>')];
    }
    case 'dotnet': {
      const publish = lastCommand(instructions, dirs, /^dotnet\s+publish\b/);
      const out = publish && flagValue(publish.words, ['-o', '--output']);
      if (out) return [same(withSlash(joinPath(publish.dir, out), true))];
      return [{ source: `${joinPath(publish?.dir ?? finalDir, 'bin/Release')}/<framework>/publish/`, destination: folder(finalDir), hole: '<framework>' }];
    }
    case 'node': {
      const script = program[0] === 'node' ? program.slice(1).find((w) => !w.startsWith('-')) : undefined;
      const resolved = script ? joinPath(finalDir, script) : undefined;
      const top = resolved && resolved.startsWith(`${finalDir === '/' ? '' : finalDir}/`) ? resolved.slice(finalDir === '/' ? 1 : finalDir.length + 1).split('/')[0] : undefined;
      // A script in a folder (dist/server.js): that folder; else the usual `dist`, to be checked.
      if (top && resolved !== joinPath(finalDir, top)) return [same(joinPath(finalDir, top))];
      return [{ ...same(joinPath(finalDir, 'dist')), hole: 'dist' }];
    }
    case 'c': {
      const compile = lastCommand(instructions, dirs, /^(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+)\s/);
      const out = compile && flagValue(compile.words, ['-o']);
      if (out) return [same(joinPath(compile.dir, out))];
      if (program[0]?.startsWith('/')) return [same(program[0])];
      return [unknownIn(finalDir)];
    }
  }
}

/** What a Node.js runtime stage installs: the manifests the build's install read, and the production install. */
function nodeRuntime(instructions: readonly InstructionSyntax[], dirs: readonly (string | undefined)[]): NodeRuntime {
  const install = lastCommand(instructions, dirs, /^(?:npm\s+(?:ci|install|i)\b|yarn(?:\s+install)?(?:\s+-\S+)*$|pnpm\s+(?:install|i)\b)/);
  const at = (files: string[]) => files.map((f) => joinPath(install?.dir ?? '/', f));
  if (!install) return { manifests: at(['package.json']), install: undefined };
  const [tool, sub] = install.words;
  if (tool === 'yarn') return { manifests: at(['package.json', 'yarn.lock']), install: 'yarn install --production --frozen-lockfile' };
  if (tool === 'pnpm') return { manifests: at(['package.json', 'pnpm-lock.yaml']), install: 'corepack enable && pnpm install --prod --frozen-lockfile' };
  return { manifests: at(['package*.json']), install: sub === 'ci' ? 'npm ci --omit=dev' : 'npm install --omit=dev' };
}
