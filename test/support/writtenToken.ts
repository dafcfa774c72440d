/**
 * The name a user reads in a token as written in a Dockerfile, for checking ranges from the
 * outside: continued lines joined (an escape character at the end of a line, then comment and
 * blank lines skipped), then quotes dropped and a backslash or the file's escape character
 * dropped before the character it escapes. Deliberately simpler than the server's reader: it
 * knows nothing of flags or CSV, only what a token of a stage name can hold.
 */
export function readWrittenToken(text: string, escape = '\\'): string {
  const lines = text.split(/\r?\n/);
  let joined = '';
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (i > 0 && /^\s*(#|$)/.test(line) && i < lines.length - 1) continue;
    const trimmed = line.replace(/[ \t]+$/, '');
    if (i < lines.length - 1 && trimmed.endsWith(escape)) line = trimmed.slice(0, -1);
    joined += line;
  }
  let out = '';
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i];
    if (c === '"' || c === "'") continue;
    if ((c === '\\' || c === escape) && i + 1 < joined.length) {
      out += joined[++i];
      continue;
    }
    out += c;
  }
  return out;
}
