/**
 * HCL through tree-sitter's HCL grammar, compiled to WebAssembly and run by web-tree-sitter: a
 * maintained parser that keeps every position. Loaded on first use (only a workspace with a Bake
 * HCL file pays for it). The two .wasm files sit beside the bundle (scripts/build.mjs copies
 * them); run from the compiled sources, they are found in node_modules.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Parser } from 'web-tree-sitter';

export type { Node as HclNode } from 'web-tree-sitter';

let loading: Promise<Parser> | undefined;

export function hclParser(): Promise<Parser> {
  loading ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const treeSitter = require('web-tree-sitter') as typeof import('web-tree-sitter');
    await treeSitter.Parser.init({ locateFile: () => wasmFile('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm') });
    const language = await treeSitter.Language.load(wasmFile('tree-sitter-hcl.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'));
    const parser = new treeSitter.Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}

function wasmFile(name: string, packaged: string): string {
  const beside = path.join(__dirname, name);
  return fs.existsSync(beside) ? beside : require.resolve(packaged);
}
