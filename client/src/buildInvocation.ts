/**
 * Turns the build command template (setting `dockerfileStages.build.command`) into a program and
 * its argument list, run as a process without a shell. The template is the user's own text and
 * is split into words here, once; the values (stage name, Dockerfile path, workspace folder) come
 * from the Dockerfile and the disk and are put into those words as literal text afterwards, so a
 * value is never split, never quoted, never interpreted. No vscode import: unit-tested in node.
 */
import { RESERVED_STAGE_NAMES, isValidStageName } from '../../server/src/analysis/stageNames';

export const DEFAULT_BUILD_TEMPLATE = 'docker build --target ${target} -f ${file} ${context}';

export interface BuildValues {
  target: string;
  file: string;
  context: string;
}

export interface BuildInvocation {
  program: string;
  args: string[];
}

/** A template that cannot be run; the message is shown to the user. */
export class BuildTemplateError extends Error {}

const PLACEHOLDER = /\$\{(target|file|context)\}/g;

/**
 * The template's words: split on whitespace; `'…'` keeps everything up to the next `'`
 * literally; `"…"` groups too, and inside it, as outside quotes, a backslash makes the next
 * character literal. Quotes and escapes join with the text around them (`A="b c"` is one word).
 */
export function templateWords(template: string): string[] {
  const words: string[] = [];
  let word = '';
  // A word exists once anything of it was read, so that `""` is an empty argument.
  let inWord = false;
  let quote: "'" | '"' | undefined;
  let quoteStart = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (c === '\\') {
      if (i + 1 >= template.length) throw new BuildTemplateError('The build command ends with a backslash that escapes nothing.');
      word += template[++i];
      inWord = true;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      quoteStart = i;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new BuildTemplateError(`The build command has a ${quote} at character ${quoteStart + 1} that is never closed.`);
  if (inWord) words.push(word);
  return words;
}

/** The program and arguments for `values`; throws BuildTemplateError for a template that cannot run. */
export function buildInvocation(template: string, values: BuildValues): BuildInvocation {
  const words = templateWords(template);
  if (words.length === 0) throw new BuildTemplateError('The build command is empty.');
  if (!words.some((w) => w.includes('${target}'))) throw new BuildTemplateError('The build command must contain ${target}.');
  // One pass per word, with a function: a value is inserted as is, never searched for
  // placeholders again, and `$&`-style replacement patterns in it mean nothing.
  const filled = words.map((w) => w.replace(PLACEHOLDER, (_, name: keyof BuildValues) => values[name]));
  if (filled[0] === '') throw new BuildTemplateError('The build command starts with an empty word where the program to run should be.');
  return { program: filled[0], args: filled.slice(1) };
}

/**
 * Why `target` cannot be passed as `--target`, or undefined when it can: BuildKit accepts only
 * a valid stage name, and `scratch` and `context` name something else.
 */
export function targetProblem(target: unknown): string | undefined {
  if (typeof target !== 'string' || target === '') return 'No stage name was given.';
  if (!isValidStageName(target)) return `"${target}" is not a stage name BuildKit accepts (letters, digits, '-', '_' and '.', starting with a letter).`;
  if (RESERVED_STAGE_NAMES.has(target.toLowerCase())) return `"${target}" is a reserved name, not a stage BuildKit can build.`;
  return undefined;
}

/**
 * VS Code's task system replaces `${…}` in a task's program, arguments and folder (its own
 * variables: `${env:…}`, `${command:…}`, `${workspaceFolder}`, …) and has no way to escape
 * them, so a path holding `${` would not reach the program as written. Such a path is refused.
 */
export function pathProblem(what: string, value: string): string | undefined {
  return value.includes('${') ? `The ${what} holds "\${", which VS Code's tasks would replace: rename it to build from here.` : undefined;
}
