/**
 * The real corpus the benchmark reads: Dockerfiles copied unchanged from public repositories, in
 * ../shared/corpus/real from the project root (beside the checkout, where CI puts it). Every
 * file there but the .md and .tsv notes is a Dockerfile.
 */
import * as fs from 'fs';
import * as path from 'path';
import { corpusFiles } from '../support/fixtures';

export const CORPUS_RELATIVE = path.join('..', 'shared', 'corpus', 'real');

/** moby's own Dockerfile: the real multi-stage file measured next to the generated sizes. */
export const MOBY_PREFIX = 'moby__moby__Dockerfile';

export interface CorpusFile {
  name: string;
  text: string;
}

/** The corpus's Dockerfiles (test/support/fixtures.ts lists them), sorted by name; undefined when there is no corpus. */
export function readCorpus(): CorpusFile[] | undefined {
  const files = corpusFiles();
  return files.length > 0 ? files.map((f) => ({ name: path.basename(f), text: fs.readFileSync(f, 'utf8') })) : undefined;
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
