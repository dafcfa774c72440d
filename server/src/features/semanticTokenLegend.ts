/** The semantic token legend the server announces in `initialize` (see semanticTokens.ts). */
export const SEMANTIC_TOKEN_TYPES = ['class'] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration'] as const;
