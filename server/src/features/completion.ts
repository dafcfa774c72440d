/**
 * Stage-name completion where BuildKit looks a stage up: the value of `COPY --from=`, the
 * `from=` option of a `RUN --mount=` and the base after `FROM`. Only stages defined before the
 * current one are offered, spelled so that BuildKit resolves them to that stage.
 */
import { Position, Range } from '../analysis/positions';
import { Stage, StageModel } from '../analysis/stageModel';

export interface StageCompletion {
  label: string;
  /** The stage offered (its index). */
  stage: number;
  /** Offered by its index (`--from=N`), not its name. */
  byIndex: boolean;
  /** Made when read: an editor that resolves items asks for one item's, not a thousand. */
  readonly detail: string;
  readonly documentation: string;
  sortText: string;
  replaceRange: Range;
}

type Context = 'from' | 'copy' | 'mount';

/** A case-insensitive keyword as a regex source (`copy` → `[cC][oO][pP][yY]`). */
function keyword(word: string): string {
  return [...word].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
}

/** `FROM [--flag…] <typed>`: the base. */
const FROM_BASE = new RegExp(`^\\s*${keyword('from')}\\s+(?:--\\S*\\s+)*(\\S*)$`);
/** `COPY [--flag…] --from=<typed>`; flag names are case-sensitive in BuildKit. */
const COPY_FROM = new RegExp(`^\\s*${keyword('copy')}\\s+(?:--\\S*\\s+)*--from=(\\S*)$`);
/** `RUN [--flag…] --mount=opt=v,…,from=<typed>`; BuildKit lower-cases mount option keys. */
const MOUNT_FROM = new RegExp(`^\\s*${keyword('run')}\\s+(?:--\\S*\\s+)*--mount=(?:[^\\s,]*,)*${keyword('from')}=([^\\s,]*)$`);

function contextAt(linePrefix: string): { context: Context; typed: string } | undefined {
  let m = FROM_BASE.exec(linePrefix);
  // A word starting with `-` is a flag being typed, not the base.
  if (m) return m[1].startsWith('-') ? undefined : { context: 'from', typed: m[1] };
  m = COPY_FROM.exec(linePrefix);
  if (m) return { context: 'copy', typed: m[1] };
  m = MOUNT_FROM.exec(linePrefix);
  if (m) return { context: 'mount', typed: m[1] };
  return undefined;
}

/**
 * Whether the cursor's line is not inside an instruction that started on an earlier line: a
 * continuation line or a heredoc body (whose text may look like `FROM x` but is data).
 */
function onInstructionStart(model: StageModel, pos: Position): boolean {
  const instructions = [...model.preamble, ...(model.stageAt(pos)?.syntax.instructions ?? [])];
  return !instructions.some((ins) => ins.range.start.line < pos.line && pos.line <= ins.range.end.line);
}

export function completions(model: StageModel, pos: Position, linePrefix: string): StageCompletion[] {
  const found = contextAt(linePrefix);
  if (!found) return [];
  if (!onInstructionStart(model, pos)) return [];
  const current = model.stageAt(pos);
  if (!current) return [];
  const { context, typed } = found;
  // After `FROM `, the current stage is the one this FROM line starts.
  if (context === 'from' && current.syntax.from.range.start.line !== pos.line) return [];

  const start: Position = { line: pos.line, character: Math.max(0, pos.character - typed.length) };
  const replaceRange: Range = { start, end: wordEnd(current, context, pos) };

  const items: StageCompletion[] = [];
  const offer = (stage: Stage, label: string, byIndex: boolean) =>
    items.push({
      label,
      stage: stage.index,
      byIndex,
      get detail() {
        return completionDetail(model, stage, byIndex);
      },
      get documentation() {
        return documentation(stage);
      },
      // Names first, then indices, each in file order.
      sortText: `${byIndex ? 'b' : 'a'}${pad(stage.index)}`,
      replaceRange,
    });
  const named = (stage: Stage, label: string) => offer(stage, label, false);

  const earlier = model.stages.slice(0, current.index);
  if (context === 'from') {
    // FROM matches the lower-cased name exactly and sees the last earlier definition.
    const byKey = new Map<string, Stage>();
    for (const s of earlier) if (s.key !== undefined) byKey.set(s.key, s);
    for (const s of earlier) if (s.key !== undefined && byKey.get(s.key) === s) named(s, s.key);
  } else {
    // --from and from= look names up case-insensitively in the whole file, last definition
    // first: a name whose last definition is this stage or a later one would not resolve here.
    for (const s of earlier) if (s.key !== undefined && model.stageByKey.get(s.key) === s.index) named(s, s.name ?? s.key);
  }
  if (context === 'copy') {
    // Only an index reaches an unnamed stage, or one whose name a later stage took over.
    for (const s of earlier) {
      const owner = s.key === undefined ? undefined : model.stageByKey.get(s.key);
      if (owner === s.index) continue;
      offer(s, String(s.index), true);
    }
  }
  return items;
}

/** The cursor, or the end of the reference value under it when the cursor is inside one. */
function wordEnd(stage: Stage, context: Context, pos: Position): Position {
  const refs = context === 'from' ? (stage.baseRef ? [stage.baseRef] : []) : stage.refs.filter((r) => r.kind === context);
  for (const r of refs) {
    const { start, end } = r.range;
    if (start.line === pos.line && end.line === pos.line && start.character <= pos.character && pos.character <= end.character) {
      return { line: pos.line, character: end.character };
    }
  }
  return pos;
}

/**
 * The detail line of an item offering `stage`, by name or (`byIndex`) by its index: its base,
 * and for an index why the name would not do. Also sent on completionItem/resolve.
 */
export function completionDetail(model: StageModel, stage: Stage, byIndex: boolean): string {
  if (!byIndex) return baseDetail(stage);
  const owner = stage.key === undefined ? undefined : model.stageByKey.get(stage.key);
  const what = owner === undefined ? 'unnamed stage' : `${stage.name}, a name stage ${owner} redefines`;
  return `${what} · ${baseDetail(stage)}`;
}

function baseDetail(stage: Stage): string {
  const base = stage.baseRef;
  if (!base) return 'FROM (no base yet)';
  // ASCII, like the outline's details: a thousand items travel as a one-byte string.
  return base.resolution.kind === 'stage' ? `FROM stage ${base.value}` : `FROM ${base.value}`;
}

/** The completion item's documentation for a stage (also sent on completionItem/resolve). */
export function documentation(stage: Stage): string {
  const line = stage.syntax.from.range.start.line + 1;
  const what = stage.name !== undefined ? `Stage ${stage.index} \`${stage.name}\`` : `Stage ${stage.index} (unnamed)`;
  return `${what}, defined on line ${line}.`;
}

function pad(n: number): string {
  return String(n).padStart(5, '0');
}
