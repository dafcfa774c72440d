/**
 * The real corpus the benchmark reads: Dockerfiles copied unchanged from public repositories, in
 * ../shared/corpus/real from the project root (beside the checkout, where CI puts it). Every
 * file there but the .md and .tsv notes is a Dockerfile.
 */
import * as fs from 'fs';
import * as path from 'path';

export const CORPUS_RELATIVE = path.join('..', 'shared', 'corpus', 'real');

/** moby's own Dockerfile: the real multi-stage file measured next to the generated sizes. */
export const MOBY_PREFIX = 'moby__moby__Dockerfile';

export interface CorpusFile {
  name: string;
  text: string;
}

export function corpusDir(root: string): string {
  return path.join(root, CORPUS_RELATIVE);
}

/** The corpus's Dockerfile names, sorted; undefined when there is no corpus. */
export function corpusNames(root: string): string[] | undefined {
  const dir = corpusDir(root);
  if (!fs.existsSync(dir)) return undefined;
  return fs.readdirSync(dir)
    .filter((f) => !f.endsWith('.tsv') && !f.endsWith('.md') && fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

/** The corpus's Dockerfiles, sorted by name; undefined when there is no corpus. */
export function readCorpus(root: string): CorpusFile[] | undefined {
  const dir = corpusDir(root);
  return corpusNames(root)?.map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

/** moby's Dockerfile: of the names starting with MOBY_PREFIX, the exact one, else the longest file. */
export function mobyFile(files: readonly CorpusFile[]): CorpusFile | undefined {
  const candidates = files.filter((f) => f.name.startsWith(MOBY_PREFIX));
  return candidates.find((f) => f.name === MOBY_PREFIX) ?? [...candidates].sort((a, b) => b.text.length - a.text.length)[0];
}

/** Lines as an editor counts them: a last line break does not start another line. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}
