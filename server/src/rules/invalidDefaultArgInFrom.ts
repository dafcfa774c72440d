import { splitVariables } from '../analysis/fromVariables';
import { isValidImageReference } from '../analysis/imageReference';
import { StageModel } from '../analysis/stageModel';
import { Rule } from './rule';

/**
 * The predefined platform ARGs, with the values they have on the usual builder (linux/amd64);
 * the ones whose value depends more on the machine (variant, OS version, target stage) leave a
 * FROM that uses them unchecked.
 */
const PLATFORM_DEFAULTS: ReadonlyMap<string, string> = new Map([
  ['TARGETPLATFORM', 'linux/amd64'],
  ['TARGETOS', 'linux'],
  ['TARGETARCH', 'amd64'],
  ['BUILDPLATFORM', 'linux/amd64'],
  ['BUILDOS', 'linux'],
  ['BUILDARCH', 'amd64'],
]);
const MACHINE_DEPENDENT: ReadonlySet<string> = new Set(['TARGETVARIANT', 'BUILDVARIANT', 'TARGETOSVERSION', 'BUILDOSVERSION', 'TARGETSTAGE']);

/**
 * BuildKit lint InvalidDefaultArgInFrom (dockerfile2llb/validations.go
 * validateBaseImagesWithDefaultArgs): each FROM base is expanded with the global ARGs' defaults
 * only (no --build-arg: buildMetaArgs with none; an ARG without a default is unset) and must then
 * parse as an image reference (reference.ParseNormalizedNamed): `ARG TAG` + `FROM alpine:${TAG}`
 * gives `alpine:`, which fails unless the build passes TAG.
 * Decision: only bases that use a variable are checked here. BuildKit also reports a constant base
 * that is no valid reference (`FROM Builder`), with a message about ARG defaults that does not fit
 * it; that base fails the build, and InvalidBaseImage reports it as an error.
 * A base whose expansion is not plain (quotes, escapes, nested or other `${…}` forms) is left alone.
 * Message: "Default value for ARG alpine:${TAG} results in empty or invalid base image name", on the base.
 */
export const invalidDefaultArgInFrom: Rule = {
  code: 'InvalidDefaultArgInFrom',
  buildkitCheck: true,
  severity: 'warning',
  description: 'Default value for global ARG results in an empty or invalid base image name.',
  check(model, report) {
    let values: ReadonlyMap<string, string | null> | undefined;
    for (const stage of model.stages) {
      const base = stage.syntax.from.base;
      if (!base || !base.text.includes('$')) continue;
      const expanded = expandWithDefaults((values ??= defaults(model)), base.text);
      if (expanded === undefined || isValidImageReference(expanded)) continue;
      report({
        message: `Default value for ARG ${base.text} results in empty or invalid base image name: with the defaults it is ${expanded === '' ? 'empty' : JSON.stringify(expanded)}, so the build fails unless --build-arg sets it. Give the ARG a default that makes it valid.`,
        range: base.range,
      });
    }
  },
};

/**
 * The global ARGs' values with their defaults only (buildMetaArgs without build arguments), over
 * the predefined platform ARGs: absent when unset, null when the default is not plain text
 * (it expands variables, or holds quotes or escapes, which this does not follow).
 */
function defaults(model: StageModel): Map<string, string | null> {
  const values = new Map<string, string | null>(PLATFORM_DEFAULTS);
  for (const name of MACHINE_DEPENDENT) values.set(name, null);
  for (const a of model.globalArgs) {
    if (a.defaultValue === undefined) continue;
    values.set(a.name, /[$"'\\`]/.test(a.defaultValue) || a.defaultValue.includes(model.escapeChar) ? null : a.defaultValue);
  }
  return values;
}

/** `${NAME` followed by something other than `}` or a modifier splitVariables reads. */
const OTHER_FORM = /\$\{[A-Za-z0-9_]+(?![A-Za-z0-9_}]|:-|:\+|-|\+)/;

/**
 * The base expanded as BuildKit's shell lexer expands it with those values (an unset variable is
 * empty), or undefined when that is not certain here.
 */
function expandWithDefaults(values: ReadonlyMap<string, string | null>, text: string): string | undefined {
  if (/["'\\`]/.test(text) || OTHER_FORM.test(text)) return undefined;
  let out = '';
  for (const p of splitVariables(text)) {
    if ('literal' in p) {
      // A `$` left in a literal is a form splitVariables does not read (`${X:?…}`, `${X#…}`…).
      if (p.literal.includes('$')) return undefined;
      out += p.literal;
      continue;
    }
    if (p.word?.includes('$')) return undefined;
    const value = values.get(p.variable);
    if (value === null) return undefined;
    switch (p.modifier) {
      case ':-': out += value ? value : (p.word ?? ''); break;
      case '-': out += value ?? p.word ?? ''; break;
      case ':+': out += value ? (p.word ?? '') : ''; break;
      case '+': out += value !== undefined ? (p.word ?? '') : ''; break;
      default: out += value ?? '';
    }
  }
  return out;
}
