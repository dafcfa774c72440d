/** Short descriptions of the servers' answers (for the report's notes) and what the checks read from them. */
import { Pos } from './scanDockerfile';

export function describe(name: string, r: unknown): string {
  if (r === null || r === undefined) return 'null';
  const list = Array.isArray(r) ? r : undefined;
  switch (name) {
    case 'definition': {
      const locs = (list ?? [r]) as { range?: { start: Pos }; targetSelectionRange?: { start: Pos } }[];
      const lines = locs.map((l) => (l.targetSelectionRange ?? l.range)?.start.line).filter((x) => x !== undefined).map((x) => `L${x! + 1}`);
      return `${locs.length} → ${lines.join(',')}`;
    }
    case 'references':
    case 'documentHighlight':
      return `${list?.length ?? '?'} locations`;
    case 'codeLens':
      return `${list?.length ?? '?'} lenses`;
    case 'foldingRange':
      return `${list?.length ?? '?'} ranges`;
    case 'rename':
      return `${renameEditCount(r)} edits`;
    case 'prepareRename': {
      const x = r as { range?: { start: Pos; end: Pos }; start?: Pos; end?: Pos; defaultBehavior?: boolean };
      const range = x.range ?? (x.start && x.end ? { start: x.start, end: x.end } : undefined);
      return range ? `L${range.start.line + 1}:${range.start.character + 1}-${range.end.character + 1}` : JSON.stringify(r).slice(0, 40);
    }
    case 'hover': {
      const c = (r as { contents?: unknown }).contents;
      const text = typeof c === 'string' ? c : Array.isArray(c) ? c.map((x) => (typeof x === 'string' ? x : (x as { value: string }).value)).join('\n') : (c as { value?: string })?.value ?? '';
      return `${text.length} chars`;
    }
    case 'completion': {
      const items = (list ?? (r as { items?: unknown[] }).items ?? []) as unknown[];
      return `${items.length} items`;
    }
    case 'documentSymbol': {
      let total = 0;
      const walk = (xs: { children?: unknown[] }[]) => {
        for (const s of xs) {
          total++;
          if (s.children) walk(s.children as { children?: unknown[] }[]);
        }
      };
      walk((list ?? []) as { children?: unknown[] }[]);
      return `${list?.length ?? 0} top / ${total} total`;
    }
    case 'semanticTokens':
      return `${((r as { data?: unknown[] }).data?.length ?? 0) / 5} tokens`;
    default:
      return 'ok';
  }
}

export function renameEditCount(r: unknown): number {
  const edit = r as { changes?: Record<string, unknown[]>; documentChanges?: { edits?: unknown[] }[] };
  let n = 0;
  for (const list of Object.values(edit.changes ?? {})) n += list.length;
  for (const dc of edit.documentChanges ?? []) n += dc.edits?.length ?? 0;
  return n;
}

export function definitionLines(r: unknown): number[] {
  if (r === null || r === undefined) return [];
  const locs = (Array.isArray(r) ? r : [r]) as { range?: { start: Pos }; targetSelectionRange?: { start: Pos }; targetRange?: { start: Pos } }[];
  return locs.map((l) => (l.targetSelectionRange ?? l.range ?? l.targetRange)?.start.line ?? -1);
}
