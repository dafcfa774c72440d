/**
 * The values the server takes from vscode-languageserver, in one place. The bundle wraps a
 * CommonJS module for each file that imports it, copying its 300-odd exports each time, which
 * costs start-up time; through this file the library is wrapped once. Types are imported
 * directly (they leave nothing in the bundle).
 */
export {
  AbstractMessageWriter,
  CodeActionKind,
  CodeLensRefreshRequest,
  CompletionItemKind,
  createConnection,
  DiagnosticRelatedInformation,
  DiagnosticSeverity,
  DiagnosticTag,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentHighlightKind,
  ErrorCodes,
  FileChangeType,
  FoldingRangeKind,
  LSPErrorCodes,
  MarkupKind,
  ResponseError,
  StreamMessageReader,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';

// Required, not imported: the bundle then takes the package's CommonJS build, the one that
// dockerfile-ast requires too, instead of adding its ES module build beside it.
import textDocument = require('vscode-languageserver-textdocument');
export const TextDocument = textDocument.TextDocument;
