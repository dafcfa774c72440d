import { unquoteWord } from '../analysis/fromVariables';
import { Rule } from './rule';

/**
 * BuildKit lint FromPlatformFlagConstDisallowed (dockerfile2llb/validations.go
 * reportConstPlatformDisallowed): `FROM --platform=linux/amd64` pins the stage to one platform
 * whatever the build targets; reported when the value uses no variable, parses as a platform
 * (containerd's platforms.Parse), and the stage's name does not mention that OS or architecture
 * (a stage named `build-amd64` is meant for it).
 * Message: `FROM --platform flag should not use constant value "linux/amd64"`, on the flag.
 */
export const fromPlatformFlagConstDisallowed: Rule = {
  code: 'FromPlatformFlagConstDisallowed',
  buildkitCheck: true,
  severity: 'warning',
  description: 'FROM --platform flag should not use a constant value.',
  check(model, report) {
    for (const stage of model.stages) {
      const platform = stage.syntax.instructions[0]?.facts?.platform;
      if (!platform || platform.value.includes('$')) continue;
      const value = unquoteWord(platform.value, model.escapeChar);
      const parsed = value === undefined ? undefined : parsePlatform(value);
      if (!parsed) continue;
      const name = stage.key ?? '';
      if (name.includes(parsed.os) || name.includes(parsed.arch)) continue;
      report({
        message: `FROM --platform flag should not use constant value ${JSON.stringify(value)}: the stage is built for ${value} whatever platform the build targets. Use $BUILDPLATFORM (to run build tools natively) or leave it out.`,
        range: platform.flag,
      });
    }
  },
};

const KNOWN_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos']);
const KNOWN_ARCH = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le',
  'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm',
]);

/**
 * containerd's platforms.Parse, for what this check needs: `os`, `os/arch` or `os/arch/variant`
 * (each part `[A-Za-z0-9_.-]+`), or a lone known architecture; names normalized (`macos` is
 * darwin, `x86_64` amd64, `aarch64` arm64, `armhf` arm). A lone OS takes the builder's
 * architecture, taken here as amd64, and a lone architecture its OS, linux.
 */
export function parsePlatform(specifier: string): { os: string; arch: string } | undefined {
  const parts = specifier.split('/');
  if (parts.length > 3 || !parts.every((p) => /^[A-Za-z0-9_.-]+$/.test(p))) return undefined;
  if (parts.length === 1) {
    const os = normalizeOs(parts[0]);
    if (KNOWN_OS.has(os)) return { os, arch: 'amd64' };
    const arch = normalizeArch(parts[0]);
    return KNOWN_ARCH.has(arch) ? { os: 'linux', arch } : undefined;
  }
  return { os: normalizeOs(parts[0]), arch: normalizeArch(parts[1]) };
}

function normalizeOs(os: string): string {
  const l = os.toLowerCase();
  return l === 'macos' ? 'darwin' : l;
}

function normalizeArch(arch: string): string {
  const l = arch.toLowerCase();
  switch (l) {
    case 'i386': return '386';
    case 'x86_64':
    case 'x86-64': return 'amd64';
    case 'aarch64': return 'arm64';
    case 'armhf':
    case 'armel': return 'arm';
    default: return l;
  }
}
