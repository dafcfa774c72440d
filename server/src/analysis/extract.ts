/**
 * Reads one piece of Dockerfile text with dockerfile-ast and keeps only the plain facts of
 * syntax.ts. Positions come out relative to the piece's first line.
 */
import { DockerfileParser, From, Copy, Run, Onbuild, Arg, Instruction, Flag } from 'dockerfile-ast';
import { Range, rangeContains, shiftRange } from './positions';
import {
  ArgDeclaration,
  Directive,
  FlagSyntax,
  FromSyntax,
  InstructionSyntax,
  PreambleSyntax,
  StageRefSyntax,
  StageSyntax,
  Token,
} from './syntax';

export interface ParsedPiece {
  /** Instructions before the piece's first FROM (only the first piece should have any). */
  preamble: PreambleSyntax;
  stages: StageSyntax[];
  directives: Directive[];
  escapeChar: string;
  /**
   * Whether the parser was back in its initial state at the end of the piece (no open line
   * continuation or here-document), so the next piece can be parsed on its own.
   */
  endsClean: boolean;
}

const SENTINEL = 'FROM dockerfile-stages-sentinel';

/**
 * Parses `text`. `escapeChar` is the file's escape character when the piece is not at the
 * start of the file (dockerfile-ast only honours `# escape=` on the piece's own first lines).
 * With `checkEnd`, a sentinel FROM line is appended to learn whether the piece ends clean.
 */
export function parsePiece(text: string, escapeChar: string | undefined, checkEnd: boolean): ParsedPiece {
  let prefixLines = 0;
  let source = text;
  if (escapeChar !== undefined && escapeChar !== '\\') {
    source = `# escape=${escapeChar}\n` + source;
    prefixLines = 1;
  }
  let sentinelLine = -1;
  if (checkEnd) {
    if (!source.endsWith('\n')) source += '\n';
    sentinelLine = countLines(source) - 1;
    source += SENTINEL + '\n';
  }
  const dockerfile = DockerfileParser.parse(source);
  let instructions = dockerfile.getInstructions();
  let endsClean = true;
  if (checkEnd) {
    const last = instructions[instructions.length - 1];
    endsClean = last !== undefined && last.getKeyword() === 'FROM' && last.getRange().start.line === sentinelLine;
    if (endsClean) instructions = instructions.slice(0, -1);
  }
  const piece: ParsedPiece = {
    preamble: { instructions: [], args: [] },
    stages: [],
    directives: [],
    escapeChar: dockerfile.getEscapeCharacter(),
    endsClean,
  };
  if (prefixLines === 0) {
    for (const d of dockerfile.getDirectives()) {
      piece.directives.push({ name: d.getName().toLowerCase(), value: d.getValue(), range: d.getRange() });
    }
  }
  let current: StageSyntax | undefined;
  for (const ins of instructions) {
    const keyword = ins.getKeyword();
    if (keyword === 'FROM') {
      current = {
        from: readFrom(ins as From, prefixLines),
        instructions: [],
        refs: [],
        args: [],
        range: shift(ins.getRange(), prefixLines),
      };
      piece.stages.push(current);
    }
    const syntax = readInstruction(ins, prefixLines);
    if (current) {
      current.instructions.push(syntax);
      current.range = { start: current.range.start, end: syntax.range.end };
      readRefs(ins, prefixLines, current.refs, source);
      if (keyword === 'ARG') readArgs(ins as Arg, prefixLines, current.args);
    } else {
      piece.preamble.instructions.push(syntax);
      if (keyword === 'ARG') readArgs(ins as Arg, prefixLines, piece.preamble.args);
    }
  }
  return piece;
}

/** Lines end at \n, \r\n or a lone \r, as dockerfile-ast counts them. */
const LINE_BREAK = /\r\n|\r|\n/;

function countLines(s: string): number {
  return s.split(LINE_BREAK).length;
}

function shift(r: Range, prefixLines: number): Range {
  return prefixLines === 0 ? plainRange(r) : shiftRange(r, -prefixLines);
}

/** Copies a range into a plain object (dockerfile-ast's ranges are shared with its own model). */
function plainRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

/**
 * dockerfile-ast's getHeredocs throws on some malformed heredoc openers (`COPY <<-"EOT"" /x`
 * then a line break): a document being typed must not break the analysis, so no heredocs then.
 */
function heredocsOf(ins: Copy | Run): ReturnType<Copy['getHeredocs']> {
  try {
    return ins.getHeredocs();
  } catch {
    return [];
  }
}

function readInstruction(ins: Instruction, prefixLines: number): InstructionSyntax {
  const heredocs: Range[] = [];
  if (ins instanceof Copy || ins instanceof Run) {
    for (const h of heredocsOf(ins)) {
      const end = h.getDelimiterRange() ?? h.getContentRange() ?? h.getNameRange();
      heredocs.push(shift({ start: h.getStartRange().start, end: end.end }, prefixLines));
    }
  }
  return {
    keyword: ins.getKeyword(),
    keywordText: ins.getInstruction(),
    keywordRange: shift(ins.getInstructionRange(), prefixLines),
    range: shift(ins.getRange(), prefixLines),
    heredocs,
  };
}

function readFlag(f: Flag, prefixLines: number): FlagSyntax {
  const valueRange = f.getValueRange();
  return {
    name: f.getName(),
    value: f.getValue(),
    range: shift(f.getRange(), prefixLines),
    valueRange: valueRange && shift(valueRange, prefixLines),
  };
}

function readFrom(from: From, prefixLines: number): FromSyntax {
  const args: Token[] = from.getArguments().map((a) => ({ text: a.getValue(), range: shift(a.getRange(), prefixLines) }));
  const isAs = args.length >= 2 && args[1].text.toLowerCase() === 'as';
  const expanded: Range[] = [];
  const baseArg = from.getArguments()[0];
  if (baseArg) expanded.push(baseArg.getRange());
  for (const f of from.getFlags()) if (f.getName() === 'platform' && f.getValueRange()) expanded.push(f.getValueRange()!);
  return {
    keywordText: from.getInstruction(),
    keywordRange: shift(from.getInstructionRange(), prefixLines),
    range: shift(from.getRange(), prefixLines),
    flags: from.getFlags().map((f) => readFlag(f, prefixLines)),
    args,
    base: args[0],
    asKeyword: isAs ? args[1] : undefined,
    name: isAs && args.length >= 3 ? args[2] : undefined,
    // BuildKit expands only the base and --platform (dockerfile2llb buildDispatchStates), not the name.
    variables: from
      .getVariables()
      .filter((v) => expanded.some((r) => rangeContains(r, v.getNameRange().start)))
      .map((v) => ({ name: v.getName(), range: shift(v.getNameRange(), prefixLines) })),
  };
}

/** The text of a one-line range of `source`; undefined for a range over several lines. */
function textAt(source: string, r: Range): string | undefined {
  if (r.start.line !== r.end.line) return undefined;
  const line = source.split(LINE_BREAK, r.start.line + 1)[r.start.line];
  return line === undefined ? undefined : line.slice(r.start.character, r.end.character);
}

/**
 * A flag value as BuildKit's parser reads it (parser/split_command.go extractBuilderFlags):
 * quotes removed and a backslash escaping the next character, whatever the escape directive.
 * So `--from="build"` is `--from=build`.
 */
export function flagWord(raw: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote === '' && (c === "'" || c === '"')) quote = c;
    else if (quote !== '' && c === quote) quote = '';
    else if (c === '\\') {
      if (i + 1 < raw.length) out += raw[++i];
    } else out += c;
  }
  return out;
}

function readRefs(ins: Instruction, prefixLines: number, out: StageRefSyntax[], source: string): void {
  const instructionRange = shift(ins.getRange(), prefixLines);
  const push = (kind: StageRefSyntax['kind'], value: string | null, valueRange: Range | null) => {
    if (value === null || valueRange === null) return;
    out.push({ kind, value, range: shift(valueRange, prefixLines), instructionRange });
  };
  const flagValue = (f: Flag) => {
    const range = f.getValueRange();
    const raw = range ? textAt(source, range) : undefined;
    return raw === undefined ? f.getValue() : flagWord(raw);
  };
  if (ins instanceof Copy || ins.getKeyword() === 'ADD') {
    const kind = ins instanceof Copy ? 'copy' : 'add';
    for (const f of (ins as Copy).getFlags()) {
      if (f.getName() === 'from') push(kind, flagValue(f), f.getValueRange());
    }
  } else if (ins instanceof Run) {
    for (const f of ins.getFlags()) {
      if (f.getName() !== 'mount') continue;
      for (const o of f.getOptions()) {
        // BuildKit lower-cases mount option keys (convert_runmount / instructions parseMount).
        if (o.getName().toLowerCase() === 'from') push('mount', o.getValue(), o.getValueRange());
      }
    }
  } else if (ins instanceof Onbuild) {
    const trigger = ins.getTriggerInstruction();
    if (trigger instanceof Copy) {
      for (const f of trigger.getFlags()) {
        if (f.getName() === 'from') push('onbuild', flagValue(f), f.getValueRange());
      }
    }
  }
}

function readArgs(arg: Arg, prefixLines: number, out: ArgDeclaration[]): void {
  for (const p of arg.getProperties()) {
    const value = p.getValue();
    out.push({
      name: p.getName(),
      nameRange: shift(p.getNameRange(), prefixLines),
      defaultValue: value === null ? undefined : value,
      range: shift(p.getRange(), prefixLines),
    });
  }
}
