/** What BuildKit accepts as a stage name, and how close two names are. */

/** BuildKit validates the lower-cased name against this (instructions/parse.go, parseFrom). */
const VALID_STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/** Names that refer to something else in BuildKit: the empty image and the build context. */
export const RESERVED_STAGE_NAMES: ReadonlySet<string> = new Set(['scratch', 'context']);

export function isValidStageName(name: string): boolean {
  return VALID_STAGE_NAME.test(name.toLowerCase());
}

/** A name `docker build --target` builds: a valid stage name that is not reserved. */
export function isTargetName(name: string): boolean {
  return isValidStageName(name) && !RESERVED_STAGE_NAMES.has(name.toLowerCase());
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * A decimal stage index as BuildKit reads `--from=N` (strconv.Atoi: optional sign, decimal
 * digits, 64-bit). A number Atoi rejects as out of range is a name to BuildKit, so undefined.
 * Indexes too large for a safe JS integer come back as a (rounded) huge number: always out of range.
 */
export function parseStageIndex(value: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(value)) return undefined;
  const big = BigInt(value);
  if (big > INT64_MAX || big < INT64_MIN) return undefined;
  return Number(big);
}

/** Looks like an image reference rather than a stage name: a registry path, a tag or a digest. */
export function looksLikeImageReference(value: string): boolean {
  return /[/:@]/.test(value);
}

export function hasVariable(value: string): boolean {
  return value.includes('$');
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** Plain Levenshtein distance (insert, delete, substitute), as BuildKit's util/suggest computes it. */
export function levenshteinDistance(a: string, b: string): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * Stage names that `value` was probably meant to be, best first: close by edit distance, or
 * a name that contains the value as a whole dash-separated part (`set` → `license-set`).
 */
export function closestNames(value: string, names: readonly string[], max = 3): string[] {
  const v = value.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(names)) {
    if (name === v) continue;
    const d = editDistance(v, name);
    const limit = Math.max(1, Math.floor(Math.max(v.length, name.length) / 3));
    // A name that shares no letter with the value (`c` → `b`) is no suggestion.
    if (d <= limit && d < Math.max(v.length, name.length)) {
      scored.push({ name, score: d });
    } else if (v.length >= 3 && name.split(/[-_.]/).includes(v)) {
      scored.push({ name, score: limit + 1 });
    }
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, max).map((s) => s.name);
}
