/**
 * dist/server.js: starts the language server (dist/server-main.js, built from main.ts) from a V8
 * code cache kept beside it, so that an editor's server is up sooner: compiling the bundle on
 * every start is a fifth of the time to the `initialize` answer.
 *
 * The cache is V8's own (vm.Script cachedData); V8 rejects one made by another V8 version or with
 * other flags, and the file name carries the bundle's size and modification time, so a rebuilt
 * bundle never runs with a stale cache. It is written once, a few seconds after a start without
 * a usable one (by then the functions the server uses are compiled and go in too), atomically,
 * and only where the bundle itself lies: whoever can write there could change the server anyway.
 * A folder that cannot be written to just means no cache.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import Module = require('module');

const MAIN = path.join(__dirname, 'server-main.js');
const CACHE_PREFIX = 'server-main.';
const CACHE_SUFFIX = '.v8cache';
/** How long after a start without a cache the cache is written (tests set it shorter). */
const WRITE_CACHE_AFTER_MS = Number(process.env.DOCKERFILE_STAGES_CODE_CACHE_DELAY_MS ?? 4000);

/** The part of a cache's name that says which V8 made it (another V8 cannot use it). */
const RUNTIME = `${process.versions.v8}-${process.arch}-`.replace(/[^\w.-]/g, '_');

function cacheName(stat: fs.Stats): string {
  return path.join(__dirname, `${CACHE_PREFIX}${RUNTIME}${stat.size}-${Math.floor(stat.mtimeMs)}${CACHE_SUFFIX}`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes the cache beside the bundle and removes this V8's caches of earlier builds; never
 * throws. Caches of other V8 versions stay: one install may serve editors on different Nodes.
 */
function writeCache(script: vm.Script, file: string): void {
  try {
    const data = script.createCachedData();
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, data, { mode: 0o644 });
    fs.renameSync(temporary, file);
    for (const old of fs.readdirSync(__dirname)) {
      const full = path.join(__dirname, old);
      if (old.startsWith(CACHE_PREFIX + RUNTIME) && old.endsWith(CACHE_SUFFIX) && full !== file) fs.rmSync(full, { force: true });
    }
  } catch {
    // A read-only install: start without a cache next time too.
  }
}

function start(): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(MAIN);
  } catch {
    process.stderr.write(`dockerfile-stages: ${MAIN} is missing; dist/server.js runs the server bundle that lies beside it\n`);
    process.exit(2);
  }
  const cacheFile = cacheName(stat);
  const cachedData = readCache(cacheFile);
  // The bundle's code is ASCII (built with charset 'ascii': esbuild escapes everything else), so
  // Latin-1 reads it exactly, and faster than UTF-8; only comments of a development build differ.
  const source = fs.readFileSync(MAIN, 'latin1');
  const script = new vm.Script(Module.wrap(source), { filename: MAIN, cachedData });
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  const main = { exports: {}, filename: MAIN, id: MAIN, loaded: false };
  wrapper.call(main.exports, main.exports, Module.createRequire(MAIN), main, MAIN, path.dirname(MAIN));
  main.loaded = true;
  if (cachedData === undefined || script.cachedDataRejected) {
    setTimeout(() => writeCache(script, cacheFile), WRITE_CACHE_AFTER_MS).unref();
  }
}

start();
