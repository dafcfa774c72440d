/**
 * A build context's ignore file as BuildKit reads it: the lines of moby/patternmatcher's
 * ignorefile.ReadAll (comments and blank lines dropped, each pattern cleaned, a leading `/`
 * removed, `!` exceptions kept), compiled as patternmatcher.New does, and matched as
 * MatchesOrParentMatches matches (a path matches when it or one of its parent folders matches
 * the last pattern that decides it: `*` and `?` within one path part, `**` across parts, `[…]`
 * classes, `\` escaping the next character).
 *
 * Pure data: no file system here. The protocol layer and the CLI read the file and hand its text
 * to `DockerIgnore.parse`.
 */

interface Pattern {
  /** The cleaned pattern, without its `!`. */
  text: string;
  exclusion: boolean;
  /** How many path parts the pattern has. */
  parts: number;
  match: (path: string) => boolean;
}

export class DockerIgnore {
  private constructor(
    /** The ignore file's name, for messages (`.dockerignore`, `app.Dockerfile.dockerignore`). */
    readonly name: string,
    private readonly patterns: readonly Pattern[],
  ) {}

  /**
   * The patterns of an ignore file's text, or undefined when BuildKit would refuse them (a lone
   * `!`, a malformed `[…]`: the build fails before any check runs).
   */
  static parse(name: string, text: string): DockerIgnore | undefined {
    const patterns: Pattern[] = [];
    for (const raw of readAll(text)) {
      // patternmatcher.New: trimmed, cleaned, `!` split off.
      let p = raw.trim();
      if (p === '') continue;
      p = cleanPath(p);
      let exclusion = false;
      if (p[0] === '!') {
        if (p.length === 1) return undefined;
        exclusion = true;
        p = p.slice(1);
      }
      const match = compile(p);
      if (!match) return undefined;
      patterns.push({ text: p, exclusion, parts: p.split('/').length, match });
    }
    return new DockerIgnore(name, patterns);
  }

  /** Whether some pattern is an exception (`!…`): BuildKit's CopyIgnoredFile then checks nothing. */
  get exclusions(): boolean {
    return this.patterns.some((p) => p.exclusion);
  }

  get size(): number {
    return this.patterns.length;
  }

  /**
   * The pattern that leaves `file` (a slash-separated path) ignored, or undefined when it is not
   * ignored (MatchesOrParentMatches).
   */
  matchingPattern(file: string): string | undefined {
    let matched: Pattern | undefined;
    const parent = dirname(file);
    const parentParts = parent.split('/');
    for (const pattern of this.patterns) {
      // An inclusion once matched, or an exclusion before anything matched, decides nothing.
      if (pattern.exclusion !== (matched !== undefined)) continue;
      let match = pattern.match(file);
      if (!match && parent !== '.') {
        for (let i = 0; i < parentParts.length && !match; i++) match = pattern.match(parentParts.slice(0, i + 1).join('/'));
      }
      if (match) matched = pattern.exclusion ? undefined : pattern;
    }
    return matched?.text;
  }

  /**
   * Whether copying the context root (`.` or `/`) copies only ignored entries: a pattern that
   * ignores everything at the root (dockerfile2llb validations.go copySourceRootIgnored).
   */
  ignoresRoot(): string | undefined {
    return this.patterns.find((p) => !p.exclusion && (p.text === '*' || p.text === '**' || p.text === '**/*'))?.text;
  }
}

/**
 * ignorefile.ReadAll: a BOM dropped, lines starting with `#` skipped (before trimming), lines
 * trimmed, blank ones skipped, `!` split off and trimmed, the pattern cleaned, slashes forward and
 * a leading `/` dropped (the context is the root).
 */
function readAll(text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    let l = i === 0 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
    if (l.endsWith('\r')) l = l.slice(0, -1);
    if (l.startsWith('#')) return;
    let p = l.trim();
    if (p === '') return;
    const invert = p[0] === '!';
    if (invert) p = p.slice(1).trim();
    if (p.length > 0) {
      p = cleanPath(p);
      if (p.length > 1 && p[0] === '/') p = p.slice(1);
    }
    out.push(invert ? '!' + p : p);
  });
  return out;
}

/** Go's path.Clean (filepath.Clean on a system whose separator is `/`). */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p[0] === '/';
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Go's filepath.Dir for slash-separated paths. */
function dirname(p: string): string {
  const slash = p.lastIndexOf('/');
  return cleanPath(slash === -1 ? '' : p.slice(0, slash + 1));
}

/**
 * Pattern.compile: `**` (and `**` followed by `/`) matches any number of parts, `*` and `?`
 * anything but `/`, `[…]` a class, `\` escapes the next character; the rest literally. Exact
 * patterns compare, a trailing `**` compares a prefix, a leading `**` a suffix, the rest are a
 * regular expression. Undefined when the pattern is malformed (filepath.Match's ErrBadPattern).
 */
function compile(pattern: string): ((path: string) => boolean) | undefined {
  if (!validGlob(pattern)) return undefined;
  let re = '^';
  let type: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  let inClass = false;
  const n = pattern.length;
  // `token` counts what Go's loop counts: one per `**`, `*`, `?`, escape or character.
  for (let i = 0, token = 0; i < n; i++, token++) {
    const ch = pattern[i];
    if (inClass) {
      if (ch === ']') inClass = false;
      re += ch === '\\' && i + 1 < n ? literalEscape(pattern[++i]) : ch;
      continue;
    }
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        if (i + 1 >= n) {
          if (type === 'exact') type = 'prefix';
          else {
            re += '.*';
            type = 'regexp';
          }
        } else {
          re += '(.*/)?';
          type = 'regexp';
        }
        if (token === 0) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if ('.+()|{}$'.includes(ch)) {
      re += '\\' + ch;
    } else if (ch === '\\') {
      // validGlob refused a trailing backslash.
      re += literalEscape(pattern[++i]);
      type = 'regexp';
    } else if (ch === '[') {
      inClass = true;
      re += ch;
      type = 'regexp';
    } else {
      if (ch === ']') type = 'regexp';
      re += ch;
    }
  }
  switch (type) {
    case 'exact':
      return (path) => path === pattern;
    case 'prefix': {
      const prefix = pattern.slice(0, -2);
      return (path) => path.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = pattern.slice(2);
      return (path) => path.endsWith(suffix) || (suffix[0] === '/' && path === suffix.slice(1));
    }
    case 'regexp': {
      let regexp: RegExp;
      try {
        regexp = new RegExp(re + '$');
      } catch {
        return undefined;
      }
      return (path) => regexp.test(path);
    }
  }
}

/**
 * An escaped character (`\x` in a pattern): Go's regexp reads `\` and a punctuation character as
 * that character; a letter or digit is taken as itself here (Go would read `\d` as a class).
 */
function literalEscape(ch: string): string {
  return /[A-Za-z0-9]/.test(ch) ? ch : '\\' + ch;
}

/** filepath.Match's syntax check: every `[` closes, with a non-empty class; a `\` does not end the pattern. */
function validGlob(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      if (i + 1 >= p.length) return false;
      i++;
    } else if (c === '[') {
      let j = i + 1;
      if (p[j] === '^') j++;
      let n = 0;
      for (; j < p.length && (p[j] !== ']' || n === 0); j++, n++) {
        if (p[j] === '\\') j++;
        if (p[j] === '-' && n > 0 && (j + 1 >= p.length || p[j + 1] === ']')) return false;
      }
      if (j >= p.length || n === 0) return false;
      i = j;
    }
  }
  return true;
}
