/**
 * The advisor's tables: which images are build toolchains, which commands compile or install
 * dependencies, which files hold an ecosystem's dependency list, and the small image a
 * runtime stage starts from. Facts only; the rules beside this file read them.
 */

/** An ecosystem, as the runtime image setting (`dockerfileStages.advisor.runtimeImages`) keys it. */
export type EcosystemId = 'go' | 'rust' | 'java' | 'dotnet' | 'node' | 'c';

export const ECOSYSTEM_IDS: readonly EcosystemId[] = ['go', 'rust', 'java', 'dotnet', 'node', 'c'];

export interface Toolchain {
  ecosystem: EcosystemId;
  /** The ecosystem's name in messages. */
  label: string;
  /** Image names (the repository without registry host for Docker Hub's, with it otherwise). */
  images: readonly string[];
  /** Tags that make the image a runtime rather than a toolchain (`eclipse-temurin:21-jre`). */
  runtimeTag?: RegExp;
  /** A simple command (commands.ts: one of a RUN's, env assignments taken off) that compiles with it. */
  buildStep: RegExp;
}

/**
 * Build toolchain images. `node` counts only where the stage runs a build step, as every
 * entry does: the rule needs both the image and a compile in it.
 */
export const TOOLCHAINS: readonly Toolchain[] = [
  { ecosystem: 'go', label: 'Go', images: ['golang'], buildStep: /^go\s+(?:build|install)\b/ },
  { ecosystem: 'rust', label: 'Rust', images: ['rust'], buildStep: /^cargo\s+(?:build|install)\b/ },
  {
    ecosystem: 'java',
    label: 'Java',
    images: ['maven', 'gradle', 'eclipse-temurin', 'openjdk', 'amazoncorretto', 'sapmachine', 'ibm-semeru-runtimes'],
    runtimeTag: /(?:^|-)jre(?:$|-|\d)/,
    buildStep: /^(?:(?:mvn|\S*\/mvnw|gradle|\S*\/gradlew)\b.*\s(?:package|install|verify|build|assemble|bootJar|jar|shadowJar|installDist)\b|javac\b)/,
  },
  { ecosystem: 'dotnet', label: '.NET', images: ['mcr.microsoft.com/dotnet/sdk', 'mcr.microsoft.com/dotnet/core/sdk'], buildStep: /^dotnet\s+(?:publish|build)\b/ },
  {
    ecosystem: 'node',
    label: 'Node.js',
    images: ['node'],
    buildStep: /^(?:npm\s+run(?:-script)?\s+(?:build|compile)|(?:yarn|pnpm)(?:\s+run)?\s+(?:build|compile)|npx\s+tsc|tsc)\b/,
  },
  { ecosystem: 'c', label: 'C/C++', images: ['gcc'], buildStep: /^(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+|make|cmake\s+--build)(?=\s|$)/ },
];

/** Where the image name starts a path: Docker Hub's official images may be written `library/x`. */
export function imageName(base: string): { name: string; tag: string } | undefined {
  if (base.includes('$') || base === '') return undefined;
  let s = base.replace(/^["']|["']$/g, '').split('@')[0];
  let tag = '';
  const colon = s.lastIndexOf(':');
  if (colon > s.lastIndexOf('/')) {
    tag = s.slice(colon + 1);
    s = s.slice(0, colon);
  }
  s = s.toLowerCase().replace(/^(?:docker\.io\/|index\.docker\.io\/)/, '').replace(/^library\//, '');
  return { name: s, tag };
}

/** The toolchain a FROM base is, when it is one and its tag is no runtime variant. */
export function toolchainOf(base: string): Toolchain | undefined {
  const image = imageName(base);
  if (!image) return undefined;
  for (const t of TOOLCHAINS) {
    if (!t.images.includes(image.name)) continue;
    if (t.runtimeTag?.test(image.tag)) return undefined;
    return t;
  }
  return undefined;
}

export interface RuntimeImage {
  image: string;
  /** Whether the image has a shell: a shell-form CMD needs one. */
  hasShell: boolean;
}

/**
 * The runtime base the split refactoring writes, chosen from the toolchain image's tag:
 * - Go: distroless `static` when the binary is static (CGO_ENABLED=0, or an Alpine toolchain
 *   whose image has no C compiler), else distroless `base` (glibc).
 * - Rust: distroless `cc` (glibc and libgcc); an Alpine (musl) toolchain links statically: `static`.
 * - Java: the Temurin JRE of the same major version (21 when the tag does not say).
 * - .NET: `aspnet` for a web app (it exposes a port), else `runtime`, with the SDK's tag.
 * - Node.js: the same tag's `-slim` variant (an Alpine tag is kept: it is small already).
 * - C/C++: Debian slim (the gcc image is Debian; a static build can take scratch instead).
 * `configured` (the setting, per ecosystem) wins over all of these.
 */
export function runtimeImageFor(
  ecosystem: EcosystemId,
  toolchainBase: string,
  hints: { staticBinary: boolean; web: boolean },
  configured: Readonly<Partial<Record<EcosystemId, string>>> = {},
): RuntimeImage {
  const own = configured[ecosystem];
  if (own) return { image: own, hasShell: !/distroless|^scratch$|chiseled/.test(own) };
  const tag = imageName(toolchainBase)?.tag ?? '';
  const alpine = /alpine/.test(tag);
  switch (ecosystem) {
    case 'go':
      return { image: hints.staticBinary || alpine ? 'gcr.io/distroless/static-debian12' : 'gcr.io/distroless/base-debian12', hasShell: false };
    case 'rust':
      return { image: alpine ? 'gcr.io/distroless/static-debian12' : 'gcr.io/distroless/cc-debian12', hasShell: false };
    case 'java': {
      // `maven:3.9-eclipse-temurin-17`, `gradle:8-jdk21`; a JDK image's tag starts with it (`17-jdk`).
      const named = /(?:jdk-?|temurin-|openjdk-?|java|corretto-?)(\d{1,2})(?!\d)/.exec(tag)?.[1];
      const jdk = ['maven', 'gradle'].includes(imageName(toolchainBase)?.name ?? '') ? undefined : /^(\d{1,2})(?!\d)/.exec(tag)?.[1];
      const major = named ?? jdk ?? '21';
      return { image: `eclipse-temurin:${major}-jre${alpine ? '-alpine' : ''}`, hasShell: true };
    }
    case 'dotnet': {
      const repo = hints.web ? 'aspnet' : 'runtime';
      return { image: `mcr.microsoft.com/dotnet/${repo}${tag ? `:${tag}` : ''}`, hasShell: true };
    }
    case 'node': {
      const slim = tag === '' ? 'slim' : alpine || tag.endsWith('slim') ? tag : `${tag}-slim`;
      return { image: `node:${slim}`, hasShell: true };
    }
    case 'c':
      return { image: 'debian:bookworm-slim', hasShell: true };
  }
}

/** A shell-less runtime's stand-in when the moved CMD or ENTRYPOINT needs a shell. */
export const SHELL_RUNTIME = 'debian:bookworm-slim';

/** A dependency install: the command, and the files it reads that a COPY should bring first. */
export interface DependencyInstall {
  /** The package manager, for messages. */
  tool: string;
  /** A simple command (commands.ts) that installs the dependencies. */
  command: RegExp;
  /** The manifest files to copy before the install (the build context's paths). */
  manifests: readonly string[];
  /**
   * How the install runs before the sources are there, when that differs from the command as
   * written (poetry would install the project itself, which is not copied yet). Undefined: the
   * command as written moves above the full copy.
   */
  early?: string;
  /** No quick fix: the install cannot run on the manifests alone (cargo needs a target file). */
  noFix?: true;
}

export const DEPENDENCY_INSTALLS: readonly DependencyInstall[] = [
  { tool: 'npm', command: /^npm\s+(?:ci|install|i)\b(?!.*\s(?:-g|--global)\b)/, manifests: ['package*.json'] },
  { tool: 'Yarn', command: /^yarn(?:\s+install)?(?:\s+-\S+)*$/, manifests: ['package.json', 'yarn.lock'] },
  { tool: 'pnpm', command: /^pnpm\s+(?:install|i)\b/, manifests: ['package.json', 'pnpm-lock.yaml'] },
  { tool: 'Go modules', command: /^go\s+mod\s+download\b/, manifests: ['go.mod', 'go.sum'] },
  { tool: 'pip', command: /^(?:python3?\s+-m\s+)?pip3?\s+install\b.*\s(?:-r|--requirement)[\s=]*requirements\.txt(?=\s|$)/, manifests: ['requirements.txt'] },
  { tool: 'Poetry', command: /^poetry\s+install\b/, manifests: ['pyproject.toml', 'poetry.lock'], early: 'poetry install --no-root' },
  { tool: 'Bundler', command: /^bundle\s+install\b/, manifests: ['Gemfile', 'Gemfile.lock'] },
  { tool: 'Cargo', command: /^cargo\s+fetch\b/, manifests: ['Cargo.toml', 'Cargo.lock'], noFix: true },
  { tool: 'Maven', command: /^(?:mvn|\S*\/mvnw)\s(?:.*\s)?dependency:(?:go-offline|resolve)\b/, manifests: ['pom.xml'] },
  { tool: 'NuGet', command: /^dotnet\s+restore\b/, manifests: ['*.csproj'] },
  { tool: 'Composer', command: /^composer\s+install\b/, manifests: ['composer.json', 'composer.lock'], early: 'composer install --no-scripts --no-autoloader' },
];

/**
 * Folders that hold a toolchain or its caches: copied whole into the final stage, they ship the
 * toolchain. Only the folders themselves count: a file inside (`/usr/local/cargo/bin/tool`, what
 * `cargo install` built) is an artifact. `/usr/share/dotnet` is left out: it holds the .NET
 * runtime as much as the SDK, and a framework-dependent app needs the runtime.
 * (`node_modules` is judged apart: only a build's, with its dev dependencies.)
 */
export const TOOLCHAIN_DIRECTORIES: readonly string[] = [
  '/usr/local/go',
  '/usr/local/cargo',
  '/usr/local/rustup',
  '/root/.cargo',
  '/root/.rustup',
  '/root/.m2',
  '/root/.gradle',
  '/go/pkg/mod',
  '/root/go/pkg/mod',
];
