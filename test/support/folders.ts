/** Waiting on a folder's contents, by its change events rather than by time. */
import * as fs from 'fs';

/** Resolves once `check` holds for the folder, re-checking on every change in it. */
export function whenFolder(dir: string, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const watcher = fs.watch(dir, () => {
      if (check()) {
        watcher.close();
        resolve();
      }
    });
    if (check()) {
      watcher.close();
      resolve();
    }
  });
}
