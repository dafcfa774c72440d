/**
 * Turns the build command template (setting `dockerfileStages.build.command`) into a program
 * and its arguments. The template comes from the user; the values (stage name, file, context)
 * come from the Dockerfile and the workspace, so every word that holds a value is marked to be
 * quoted strongly by the terminal's shell. Nothing from a Dockerfile is ever spliced into a
 * command line unquoted. No vscode import: this is unit-tested in node.
 */

export const DEFAULT_BUILD_TEMPLATE = 'docker build --target ${target} -f ${file} ${context}';

export interface BuildValues {
  target: string;
  file: string;
  context: string;
}

export interface BuildWord {
  value: string;
  /** True when the word holds a value that must reach the program as one literal argument. */
  quote: boolean;
}

export interface BuildInvocation {
  command: BuildWord;
  args: BuildWord[];
}

const PLACEHOLDER = /\$\{(target|file|context)\}/g;

export class BuildTemplateError extends Error {}

export function buildInvocation(template: string, values: BuildValues): BuildInvocation {
  const words = template.trim().split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) throw new BuildTemplateError('The build command template is empty.');
  if (!template.includes('${target}')) throw new BuildTemplateError('The build command template must contain ${target}.');
  const out = words.map((word): BuildWord => {
    let hasValue = false;
    const value = word.replace(PLACEHOLDER, (_, name: keyof BuildValues) => {
      hasValue = true;
      return values[name];
    });
    return { value, quote: hasValue };
  });
  return { command: out[0], args: out.slice(1) };
}

/** The invocation as one POSIX shell line, for display and for tests of the quoting. */
export function toPosixCommandLine(inv: BuildInvocation): string {
  return [inv.command, ...inv.args].map((w) => (w.quote || /[^A-Za-z0-9_@%+=:,./-]/.test(w.value) ? posixQuote(w.value) : w.value)).join(' ');
}

export function posixQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
