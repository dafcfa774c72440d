/**
 * The user's settings (section `dockerfileStages`), read with workspace/configuration when the
 * client supports it, else from didChangeConfiguration, else defaults.
 */
import type { Severity } from '../rules/rule';

export interface FeatureSwitches {
  diagnostics: boolean;
  codeLens: boolean;
  completion: boolean;
  hover: boolean;
  navigation: boolean;
  rename: boolean;
  symbols: boolean;
  folding: boolean;
  codeActions: boolean;
}

/**
 * Whether BuildKit's own checks are reported: `auto` leaves them to Docker's VS Code extension
 * when the client says it runs (it reports them with `docker buildx build --call=check`).
 */
export type BuildkitChecks = 'auto' | 'on' | 'off';

export interface ServerSettings {
  enable: FeatureSwitches;
  /** Per diagnostic code: a severity, or `off`. */
  severity: Record<string, Severity | 'off'>;
  buildkitChecks: BuildkitChecks;
  /** The advisor's runtime image per ecosystem (`go`, `rust`, …), for its split refactoring. */
  runtimeImages: Record<string, string>;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  enable: {
    diagnostics: true,
    codeLens: true,
    completion: true,
    hover: true,
    navigation: true,
    rename: true,
    symbols: true,
    folding: true,
    codeActions: true,
  },
  severity: {},
  buildkitChecks: 'auto',
  runtimeImages: {},
};

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Reads whatever the client sent, keeping defaults for anything missing or malformed. */
export function readSettings(raw: unknown): ServerSettings {
  const settings: ServerSettings = { enable: { ...DEFAULT_SETTINGS.enable }, severity: {}, buildkitChecks: DEFAULT_SETTINGS.buildkitChecks, runtimeImages: {} };
  if (!raw || typeof raw !== 'object') return settings;
  const obj = raw as Record<string, unknown>;
  const enable = obj.enable;
  if (enable && typeof enable === 'object') {
    for (const key of Object.keys(settings.enable) as (keyof FeatureSwitches)[]) {
      const v = (enable as Record<string, unknown>)[key];
      if (typeof v === 'boolean') settings.enable[key] = v;
    }
  }
  const severity = obj.severity;
  if (severity && typeof severity === 'object') {
    for (const [code, v] of Object.entries(severity as Record<string, unknown>)) {
      if (typeof v === 'string' && SEVERITIES.has(v)) settings.severity[code] = v as Severity | 'off';
    }
  }
  if (obj.buildkitChecks === 'auto' || obj.buildkitChecks === 'on' || obj.buildkitChecks === 'off') settings.buildkitChecks = obj.buildkitChecks;
  const advisor = obj.advisor;
  const images = advisor && typeof advisor === 'object' ? (advisor as Record<string, unknown>).runtimeImages : undefined;
  if (images && typeof images === 'object') {
    for (const [ecosystem, v] of Object.entries(images as Record<string, unknown>)) if (typeof v === 'string' && v.trim() !== '') settings.runtimeImages[ecosystem] = v.trim();
  }
  return settings;
}
