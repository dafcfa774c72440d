/**
 * `${VAR}` interpolation as Compose and Bake write it: the value a reference has when only the
 * defaults written in it (or in Bake variables) are known. A reference whose value the build's
 * environment decides is left undefined: the index says so instead of guessing.
 */

/**
 * Expands `text`. `values` gives what a name is known to be (Bake variable defaults); Compose has
 * none, so only `${VAR:-default}` / `${VAR-default}` decide there. `$$` is a literal `$`.
 * Undefined when some part depends on the environment.
 */
export function interpolate(text: string, values: ReadonlyMap<string, string> = new Map()): string | undefined {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close === -1) return undefined;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)(.*))?$/s.exec(text.slice(i + 2, close));
      if (!m) return undefined;
      const known = values.get(m[1]);
      if (known !== undefined && !(m[2] === ':-' && known === '')) out += known;
      else if (m[2] !== undefined) out += m[3];
      else return undefined;
      i = close + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (!m) {
      out += c;
      i++;
      continue;
    }
    const known = values.get(m[0]);
    if (known === undefined) return undefined;
    out += known;
    i += 1 + m[0].length;
  }
  return out;
}

/** Whether the text has any interpolation (and so is not written literally). */
export function hasInterpolation(text: string): boolean {
  return /\$/.test(text);
}
