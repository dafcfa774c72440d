/**
 * A FROM base that uses build arguments (`FROM build-${VARIANT}`) names a stage or an image
 * only once the arguments are known. Statically we can say which earlier stages it could
 * name (the pattern) and which one it names with the declared defaults.
 */

/** Whether a character code is a digit. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Whether a character code may be part of a variable name: [A-Za-z0-9_]. */
export function isNameChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

type Part = { literal: string } | { variable: string; modifier?: ':-' | '-' | ':+' | '+'; word?: string };

/** Splits a word into literal text and `$VAR` / `${VAR}` / `${VAR:-word}` / `${VAR:+word}` parts. */
export function splitVariables(text: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '$' && i + 1 < text.length) {
      const braced = text[i + 1] === '{';
      const nameStart = braced ? i + 2 : i + 1;
      let j = nameStart;
      while (j < text.length && isNameChar(text.charCodeAt(j))) j++;
      if (j > nameStart) {
        const name = text.slice(nameStart, j);
        if (!braced) {
          if (literal) parts.push({ literal });
          literal = '';
          parts.push({ variable: name });
          i = j;
          continue;
        }
        const close = text.indexOf('}', j);
        if (close !== -1) {
          if (literal) parts.push({ literal });
          literal = '';
          const rest = text.slice(j, close);
          const m = /^(:-|-|:\+|\+)([\s\S]*)$/.exec(rest);
          if (m) parts.push({ variable: name, modifier: m[1] as ':-', word: m[2] });
          else parts.push({ variable: name });
          i = close + 1;
          continue;
        }
      }
    }
    literal += c;
    i++;
  }
  if (literal) parts.push({ literal });
  return parts;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The stage names the word could expand to, as a regular expression; undefined if it has no literal part. */
/**
 * The literal text before the first variable, when every literal part could appear in a stage
 * name; undefined when the word can only be an image (a `:`, `/` or `@`, upper case…).
 */
export function stagePatternPrefix(text: string): string | undefined {
  const parts = splitVariables(text);
  for (const p of parts) if ('literal' in p && !/^[a-z0-9._-]*$/.test(p.literal)) return undefined;
  const first = parts[0];
  return first && 'literal' in first ? first.literal : '';
}

/**
 * The values BuildKit's predefined platform ARGs can take (Go's GOOS and GOARCH lists), so that
 * `FROM ${TARGETOS}` is known to name only stages called `linux`, `windows`…; a platform
 * (`linux/amd64`) holds a `/` and can never be a stage name.
 */
const PLATFORM_VALUES: Readonly<Record<string, string>> = {
  TARGETOS: 'aix|android|darwin|dragonfly|freebsd|illumos|ios|js|linux|netbsd|openbsd|plan9|solaris|wasip1|windows',
  BUILDOS: 'aix|android|darwin|dragonfly|freebsd|illumos|ios|js|linux|netbsd|openbsd|plan9|solaris|wasip1|windows',
  TARGETARCH: '386|amd64|arm|arm64|loong64|mips|mipsle|mips64|mips64le|ppc64|ppc64le|riscv64|s390x|wasm',
  BUILDARCH: '386|amd64|arm|arm64|loong64|mips|mipsle|mips64|mips64le|ppc64|ppc64le|riscv64|s390x|wasm',
  TARGETVARIANT: '|v[0-9]+',
  BUILDVARIANT: '|v[0-9]+',
  TARGETPLATFORM: '(?!)',
  BUILDPLATFORM: '(?!)',
};

/**
 * The stage names a FROM word with variables can expand to, as a regular expression: each
 * predefined platform ARG by its possible values, any other variable by anything. A word that is
 * only variables names no particular stage unless it holds platform ARGs or (given the global
 * ARG values) a variable without a default, which the build can set to any stage's name.
 * Undefined when the word names no stage short of a build argument's default.
 */
export function variablePattern(text: string, globalValues?: ReadonlyMap<string, string | undefined>): RegExp | undefined {
  const parts = splitVariables(text);
  const hasLiteral = parts.some((p) => 'literal' in p && p.literal.length > 0);
  const platformOnly = parts.every((p) => 'literal' in p || (p.modifier === undefined && p.variable in PLATFORM_VALUES));
  const unset = globalValues !== undefined && parts.some((p) => 'variable' in p && !(p.variable in PLATFORM_VALUES) && globalValues.get(p.variable) === undefined);
  if (!hasLiteral && !platformOnly && !unset) return undefined;
  // Not lower-cased: FROM matches the lower-cased stage names exactly (dockerfile2llb addState),
  // so `Build-${V}` can never name the stage `build-x`.
  const source = parts
    .map((p) => ('literal' in p ? escapeRegExp(p.literal) : p.modifier === undefined && p.variable in PLATFORM_VALUES ? `(?:${PLATFORM_VALUES[p.variable]})` : '.*'))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * Expands the word with the given values, as BuildKit's shell lexer does for these forms.
 * Returns undefined when a variable has no known value (it depends on the build).
 */
export function expandWithValues(text: string, values: ReadonlyMap<string, string | undefined>): string | undefined {
  let out = '';
  for (const p of splitVariables(text)) {
    if ('literal' in p) {
      out += p.literal;
      continue;
    }
    if (!values.has(p.variable)) return undefined;
    const v = values.get(p.variable);
    if (v === undefined) return undefined;
    switch (p.modifier) {
      case ':-': out += v !== '' ? v : (p.word ?? ''); break;
      case '-': out += v; break;
      case ':+': out += v !== '' ? (p.word ?? '') : ''; break;
      case '+': out += p.word ?? ''; break;
      default: out += v;
    }
  }
  return out;
}

/**
 * The word as BuildKit's shell lexer reads it when it holds no variable (shell/lex.go
 * processStopOn): quotes removed, the escape character dropped before the character it
 * escapes. Undefined when the word expands a variable (`$NAME`, `${…}`), whose value the
 * build decides. `FROM "builder"` names the stage `builder`.
 */
export function unquoteWord(text: string, escapeChar = '\\'): string | undefined {
  let out = '';
  let i = 0;
  const n = text.length;
  const isVariableStart = (j: number) => j < n && (text[j] === '{' || isNameChar(text.charCodeAt(j)));
  while (i < n) {
    const c = text[i];
    if (c === escapeChar) {
      if (i + 1 < n) out += text[i + 1];
      i += 2;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return out + text.slice(i + 1);
      out += text.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      i++;
      while (i < n && text[i] !== '"') {
        const d = text[i];
        if (d === escapeChar && i + 1 < n && (text[i + 1] === '"' || text[i + 1] === '$' || text[i + 1] === escapeChar)) {
          out += text[i + 1];
          i += 2;
        } else if (d === '$' && isVariableStart(i + 1)) {
          return undefined;
        } else {
          out += d;
          i++;
        }
      }
      i++;
    } else if (c === '$' && isVariableStart(i + 1)) {
      return undefined;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
