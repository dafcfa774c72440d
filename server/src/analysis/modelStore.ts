/**
 * One StageModel per document version, shared by every request for that version. Edits reuse
 * the parsed pieces of the previous version (see documentParser.ts).
 */
import { PieceCache, parseDocument } from './documentParser';
import { StageModel } from './stageModel';

export function analyzeText(text: string, version = 0, cache?: PieceCache): StageModel {
  return new StageModel(version, parseDocument(text, cache));
}

interface Entry {
  version: number;
  model: StageModel;
  cache: PieceCache;
}

export class ModelStore {
  private readonly entries = new Map<string, Entry>();

  /** The model of `uri` at `version`, built on first use of that version. */
  get(uri: string, version: number, text: () => string): StageModel {
    let entry = this.entries.get(uri);
    if (entry && entry.version === version) return entry.model;
    const cache = entry?.cache ?? new PieceCache();
    const model = analyzeText(text(), version, cache);
    entry = { version, model, cache };
    this.entries.set(uri, entry);
    return model;
  }

  /** The last model built for `uri`, whatever its version. */
  latest(uri: string): StageModel | undefined {
    return this.entries.get(uri)?.model;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
