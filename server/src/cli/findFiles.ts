/**
 * The files of a folder the CLI checks: every file `wanted` accepts, skipping `.git`,
 * `node_modules` and what the `.gitignore` files ignore, as git reads them: the repository's
 * root `.gitignore` and every nested one (the folders between the repository root and the
 * folder searched included), each pattern scoped to its file's folder, deeper files before
 * shallower ones, `!` re-including, and nothing inside an ignored folder ever re-included.
 *
 * The patterns are matched by the `ignore` package (the matcher ESLint and many others use,
 * following git's rules for `*`, `**`, `?`, classes, escapes, leading and trailing `/`). The
 * rules of all the files go into one matcher, each nested file's patterns rewritten to apply from
 * its folder down (what git does when it reads that file), added after the files above them: the
 * last matching rule wins in both, so the deeper file wins as in git, and the matcher's own rule
 * that an ignored folder's contents stay ignored holds across files.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import ignore, { Ignore } from 'ignore';

/** Never searched, whatever the ignore files say. */
const SKIPPED = new Set(['.git', 'node_modules']);

/** Where git compares names case-insensitively by default (core.ignorecase on these systems). */
const IGNORE_CASE = process.platform === 'win32' || process.platform === 'darwin';

/**
 * The lines of a `.gitignore` in `folder` (a path relative to the matcher's base, '' for the base
 * itself, with `/` separators), rewritten to apply from that folder down.
 */
export function scopedPatterns(text: string, folder: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    // Blank lines and comments match nothing; `\#` starts a pattern with `#`.
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    if (folder === '') {
      out.push(raw);
      continue;
    }
    const negated = raw.startsWith('!');
    const body = negated ? raw.slice(1) : raw;
    // gitignore(5): a separator at the start or in the middle anchors the pattern to the
    // file's folder; otherwise it matches at any depth below it. (A trailing separator only
    // says "folders only" and is kept as it is.)
    const withoutTrailing = body.replace(/\/+\s*$/, '');
    const anchored = withoutTrailing.includes('/');
    const scoped = anchored ? `${folder}/${body.replace(/^\/+/, '')}` : `${folder}/**/${body}`;
    out.push(negated ? `!${scoped}` : scoped);
  }
  return out;
}

async function readIgnoreFile(folder: string): Promise<string | undefined> {
  return fs.readFile(path.join(folder, '.gitignore'), 'utf8').catch(() => undefined);
}

/** The nearest folder at or above `folder` that holds `.git` (a folder, or a file in a worktree). */
async function repositoryRoot(folder: string): Promise<string | undefined> {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (await fs.lstat(path.join(dir, '.git')).then(() => true, () => false)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const posix = (p: string): string => (path.sep === '/' ? p : p.split(path.sep).join('/'));

/**
 * The files under `folder` that `wanted` accepts and git does not ignore, sorted by path.
 * Symbolic links are not followed (a linked folder could loop; a linked file is checked where it
 * is written). A folder named here that the ignore files above it ignore is still searched (it
 * was asked for): then only its own and nested ignore files count.
 */
export async function findFiles(folder: string, wanted: (file: string) => boolean): Promise<string[]> {
  const root = path.resolve(folder);
  let base = (await repositoryRoot(root)) ?? root;
  let matcher: Ignore = ignore({ ignorecase: IGNORE_CASE });
  if (base !== root) {
    // The ignore files of the folders from the repository root down to the one searched.
    const between: string[] = [];
    for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
      between.unshift(dir);
      if (dir === base || path.dirname(dir) === dir) break;
    }
    for (const dir of between) {
      const text = await readIgnoreFile(dir);
      if (text !== undefined) matcher.add(scopedPatterns(text, posix(path.relative(base, dir))));
    }
    if (matcher.ignores(`${posix(path.relative(base, root))}/`)) {
      base = root;
      matcher = ignore({ ignorecase: IGNORE_CASE });
    }
  }
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const relDir = posix(path.relative(base, dir));
    const text = await readIgnoreFile(dir);
    if (text !== undefined) matcher.add(scopedPatterns(text, relDir));
    const items = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const folders: string[] = [];
    for (const item of items) {
      const full = path.join(dir, item.name);
      const rel = relDir === '' ? item.name : `${relDir}/${item.name}`;
      if (item.isDirectory()) {
        if (!SKIPPED.has(item.name) && !matcher.ignores(`${rel}/`)) folders.push(full);
      } else if (item.isFile() && wanted(full) && !matcher.ignores(rel)) {
        found.push(full);
      }
    }
    for (const f of folders) await walk(f);
  };
  await walk(root);
  return found.sort();
}
