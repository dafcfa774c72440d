/**
 * The multi-stage advisor (server/src/rules/advisor/) beyond its fixture cases:
 * - every advisor fix of the fixes fixtures leaves a file with no error-severity finding;
 * - the split refactoring points at what it could not infer (its placeholder) in the fixed text;
 * - the runtime image setting and `# check=skip` / the severity setting reach the rules;
 * - seeded property: over the corpus at ../shared/corpus/real (when it is there), the advisor
 *   fixtures and generated variants (single stages cut out of the corpus with a CMD added,
 *   Dockerfiles made of a toolchain, a build command, a working folder and a CMD in random
 *   forms, CRLF), applying any advisor fix adds no error and removes the finding it fixes.
 * A failure prints the seed and the text; PROPERTY_SEED=<seed> replays it.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { StageModel } from '../../server/src/analysis/stageModel';
import { SourceText } from '../../server/src/edits/sourceText';
import { fixesFor } from '../../server/src/rules/codeActions';
import { CodeFix, Finding } from '../../server/src/rules/rule';
import { findingsFor } from '../../server/src/rules/runRules';
import { applyEdits } from '../support/applyEdits';
import { corpusTexts, fixturePath, loadCases } from '../support/fixtures';
import { pick, prng, seedOf } from '../support/random';

const ADVISOR = new Set(['ToolchainInFinalStage', 'CopyAllBeforeInstall', 'ToolchainCopiedToFinalStage', 'BuilderPattern']);

function errorCount(model: StageModel): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findingsFor(model)) if (f.severity === 'error') counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  return counts;
}

function advisorFixes(text: string): { finding: Finding; fix: CodeFix }[] {
  const model = analyzeText(text);
  const source = new SourceText(text);
  return findingsFor(model)
    .filter((f) => ADVISOR.has(f.code))
    .flatMap((finding) => fixesFor(model, finding, source).map((fix) => ({ finding, fix })));
}

/** The text a range covers, lines split as the model counts them. */
function textAt(text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split(/\r\n|\r|\n/);
  return r.start.line === r.end.line ? (lines[r.start.line] ?? '').slice(r.start.character, r.end.character) : '';
}

const fixCases = ['ToolchainInFinalStage', 'CopyAllBeforeInstall'].flatMap((code) => loadCases(fixturePath('fixes', `${code}.cases`)));

test('every advisor fix of the fixtures leaves no error-severity finding', () => {
  let applied = 0;
  for (const c of fixCases) {
    for (const variant of [c.text, c.text.replace(/\n/g, '\r\n')]) {
      for (const { fix } of advisorFixes(variant)) {
        const after = applyEdits(variant, fix.edits).text;
        const errors = findingsFor(analyzeText(after)).filter((f) => f.severity === 'error');
        assert.deepEqual(errors.map((f) => `${f.code}: ${f.message}`), [], `${c.name}: "${fix.title}" leaves errors in\n${after}`);
        applied++;
      }
    }
  }
  assert.ok(applied >= 20, `only ${applied} fixes applied`);
});

test('the split refactoring points at the path it could not infer, in the fixed text', () => {
  const rust = 'FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nENTRYPOINT ["hello"]\n';
  const [{ fix }] = advisorFixes(rust);
  assert.ok(fix.placeholder, 'a placeholder');
  const after = applyEdits(rust, fix.edits).text;
  assert.equal(textAt(after, fix.placeholder), '<binary>');
  assert.equal(after.split('\n')[fix.placeholder.start.line], 'COPY --from=build /app/target/release/<binary> /app/target/release/');

  // Node.js's usual output folder is a guess: selected to be checked.
  const node = 'FROM node:22\r\nWORKDIR /srv\r\nCOPY . .\r\nRUN npm install && npm run build\r\nCMD ["npm", "start"]';
  const nodeFix = advisorFixes(node).find((f) => f.finding.code === 'ToolchainInFinalStage')!.fix;
  const nodeAfter = applyEdits(node, nodeFix.edits).text;
  assert.equal(textAt(nodeAfter, nodeFix.placeholder!), 'dist');
  assert.match(nodeAfter, /FROM node:22-slim AS runtime\r\nWORKDIR \/srv\r\nCOPY --from=build \/srv\/package\*\.json \.\/\r\nRUN npm install --omit=dev\r\nCOPY --from=build \/srv\/dist \/srv\/dist\r\nCMD \["npm", "start"\]$/);

  // Where the path is known, nothing is left to fill in.
  const go = 'FROM golang:1.22\nRUN go build -o /out/app .\nCMD ["/out/app"]\n';
  assert.equal(advisorFixes(go)[0].fix.placeholder, undefined);
});

test('the runtime image setting chooses the runtime stage\'s base', () => {
  const text = 'FROM golang:1.22\nRUN CGO_ENABLED=0 go build -o /out/app .\nCMD ["/out/app"]\n';
  const model = analyzeText(text);
  const finding = findingsFor(model).find((f) => f.code === 'ToolchainInFinalStage')!;
  const [fix] = fixesFor(model, finding, new SourceText(text), { runtimeImages: { go: 'cgr.dev/chainguard/static' } });
  assert.match(applyEdits(text, fix.edits).text, /\nFROM cgr\.dev\/chainguard\/static AS runtime\n/);
  const [plain] = fixesFor(model, finding, new SourceText(text));
  assert.match(applyEdits(text, plain.edits).text, /\nFROM gcr\.io\/distroless\/static-debian12 AS runtime\n/);
});

test('advisor rules are turned off by severity or # check=skip, and error=true leaves them as advice', () => {
  const text = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /out/app .\nCMD ["/out/app"]\n';
  const codes = (t: string, severity?: Record<string, 'off'>) => findingsFor(analyzeText(t), { severity }).map((f) => `${f.code} ${f.severity}`).sort();
  assert.deepEqual(codes(text), ['CopyAllBeforeInstall hint', 'ToolchainInFinalStage hint']);
  assert.deepEqual(codes(text, { ToolchainInFinalStage: 'off' }), ['CopyAllBeforeInstall hint']);
  assert.deepEqual(codes(`# check=skip=CopyAllBeforeInstall,ToolchainInFinalStage\n${text}`), []);
  assert.deepEqual(codes(`# check=skip=all\n${text}`), []);
  assert.deepEqual(codes(`# check=error=true\n${text}`), ['CopyAllBeforeInstall hint', 'ToolchainInFinalStage hint']);
});

// ---- Seeded property over the corpus and generated variants.

const TOOLCHAINS = ['golang:1.22', 'golang:1.23-alpine', 'rust:1', 'rust:1-alpine', 'maven:3.9-eclipse-temurin-21', 'gradle:8-jdk17', 'mcr.microsoft.com/dotnet/sdk:8.0', 'node:20', 'node:22-alpine', 'gcc:14'];
const BUILDS: Record<string, string[]> = {
  golang: ['go build -o /out/app .', 'CGO_ENABLED=0 go build -o bin/app ./cmd/app', 'go install ./...', 'go build'],
  rust: ['cargo build --release', 'cargo build', 'cargo install --path .'],
  maven: ['mvn -B package', './mvnw package -DskipTests'],
  gradle: ['gradle build', './gradlew bootJar'],
  sdk: ['dotnet publish -c Release -o out', 'dotnet publish -c Release'],
  node: ['npm ci && npm run build', 'yarn install && yarn build', 'npm install\nRUN npm run build', 'pnpm install && pnpm run build'],
  gcc: ['gcc -o /usr/local/bin/app main.c', 'make'],
};
const CMDS = ['CMD ["/out/app"]', 'CMD ./app --port 80', 'ENTRYPOINT ["app"]', 'CMD ["node", "dist/index.js"]', 'CMD ["java", "-jar", "target/app.jar"]', 'ENTRYPOINT ["dotnet", "out/App.dll"]', 'CMD echo "$HOME" && ./app', 'CMD ["./target/release/app"]'];

function generated(rand: () => number): string {
  const image = pick(TOOLCHAINS, rand);
  const family = Object.keys(BUILDS).find((k) => image.split(':')[0].endsWith(k))!;
  const lines = [`FROM ${image}${rand() < 0.3 ? ' AS build' : ''}`];
  if (rand() < 0.7) lines.push(`WORKDIR ${pick(['/app', '/src', '/home/app/work', 'relative'], rand)}`);
  if (rand() < 0.3) lines.push('RUN useradd -m app2', 'USER app2');
  lines.push(pick(['COPY . .', 'COPY . /app', 'ADD . ./'], rand));
  lines.push(`RUN ${pick(BUILDS[family], rand)}`);
  if (rand() < 0.5) lines.push('EXPOSE 8080');
  if (rand() < 0.3) lines.push('USER 1000');
  lines.push(pick(CMDS, rand));
  if (rand() < 0.3) lines.push(pick(CMDS, rand));
  let text = lines.join('\n') + (rand() < 0.8 ? '\n' : '');
  if (rand() < 0.2) text = text.replace(/^(FROM|WORKDIR|COPY|ADD|RUN|EXPOSE|USER|CMD|ENTRYPOINT|AS)\b/gm, (k) => k.toLowerCase()).replace(/ AS /g, ' as ');
  return text;
}

/** One stage of a corpus file on its own, with a CMD when it has none: the toolchain rule's material. */
function stageAlone(text: string, rand: () => number): string | undefined {
  const model = analyzeText(text);
  if (model.stages.length < 2) return undefined;
  const stage = pick(model.stages, rand);
  const lines = text.split(/\r\n|\r|\n/).slice(stage.syntax.range.start.line, stage.syntax.range.end.line + 1);
  const own = lines.join('\n');
  return /^\s*(CMD|ENTRYPOINT)\b/im.test(own) ? own + '\n' : `${own}\nCMD ["/app"]\n`;
}

test('applying any advisor fix adds no error and removes the finding it fixes (seeded)', () => {
  const seed = seedOf(15_015);
  const rand = prng(seed);
  const corpus = corpusTexts();
  const fixtures = ['rules', 'fixes'].flatMap((suite) => [...ADVISOR].flatMap((code) => {
    try {
      return loadCases(path.join(fixturePath(suite), `${code}.cases`)).map((c) => c.text);
    } catch {
      return [];
    }
  }));
  const sources = [...corpus, ...fixtures];
  let applied = 0;
  const byCode = new Map<string, number>();
  for (let i = 0; i < 600; i++) {
    const r = rand();
    let text = r < 0.4 ? generated(rand) : r < 0.6 && corpus.length > 0 ? stageAlone(pick(corpus, rand), rand) ?? pick(sources, rand) : pick(sources, rand);
    if (rand() < 0.25) text = text.replace(/\r?\n/g, '\r\n');
    const before = errorCount(analyzeText(text));
    for (const { finding, fix } of advisorFixes(text)) {
      const after = applyEdits(text, fix.edits).text;
      const model = analyzeText(after);
      const context = `seed ${seed}, iteration ${i}: "${fix.title}" for ${finding.code}\n--- before ---\n${text}\n--- after ---\n${after}`;
      for (const [code, n] of errorCount(model)) assert.ok(n <= (before.get(code) ?? 0), `${context}\nadds ${code}`);
      if (finding.code === 'ToolchainInFinalStage') {
        assert.ok(!findingsFor(model).some((f) => f.code === 'ToolchainInFinalStage'), `${context}\nthe final stage still compiles in a toolchain image`);
        assert.equal(model.stages.length, analyzeText(text).stages.length + 1, `${context}\none stage more`);
        if (fix.placeholder) assert.match(textAt(after, fix.placeholder), /^<[a-z]+>$|^dist$/, context);
      } else {
        const stage = analyzeText(text).stageAt(finding.range.start)!.index;
        assert.ok(!findingsFor(model).some((f) => f.code === finding.code && model.stageAt(f.range.start)?.index === stage), `${context}\nthe full copy still comes before the install`);
      }
      applied++;
      byCode.set(finding.code, (byCode.get(finding.code) ?? 0) + 1);
    }
  }
  assert.ok((byCode.get('ToolchainInFinalStage') ?? 0) > 50, `only ${byCode.get('ToolchainInFinalStage') ?? 0} splits applied`);
  assert.ok((byCode.get('CopyAllBeforeInstall') ?? 0) > 20, `only ${byCode.get('CopyAllBeforeInstall') ?? 0} reorders applied`);
  assert.ok(applied > 100, `only ${applied} fixes applied`);
});

test('nothing throws while an advisor fixture is typed, in LF, CRLF and a # escape=` file', () => {
  const files = ['rules/ToolchainInFinalStage', 'rules/CopyAllBeforeInstall', 'rules/ToolchainCopiedToFinalStage', 'fixes/ToolchainInFinalStage', 'fixes/CopyAllBeforeInstall'];
  const texts = files.flatMap((f) => loadCases(fixturePath(`${f}.cases`)).map((c) => c.text));
  let checked = 0;
  for (const whole of texts) {
    for (const variant of [whole, whole.replace(/\n/g, '\r\n'), '# escape=`\n' + whole.replace(/\\\n/g, '`\n')]) {
      // Every third character, and each line's end: the file as typed up to there.
      for (let end = 0; end <= variant.length; end += variant[end] === '\n' ? 1 : 3) {
        const text = variant.slice(0, end);
        for (const { fix } of advisorFixes(text)) applyEdits(text, fix.edits);
        checked++;
      }
    }
  }
  assert.ok(checked > 1000, `only ${checked} prefixes`);
});
