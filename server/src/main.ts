// Entry point of the language server; wired in protocol/server.ts.
export {};
