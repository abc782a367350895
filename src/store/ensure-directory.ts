import { accessSync, constants } from 'node:fs';
import { ensureDirectory } from '../broker/utils/ensure-directory.js';

// One implementation of the never-spinning mkdir: the broker's (src/broker imports nothing outside itself).
export { ensureDirectory };

/** `ensureDirectory`, then whether this process may create files in it (a read-only mount, a foreign owner). */
export function ensureWritableDirectory(dir: string): void {
  ensureDirectory(dir);
  accessSync(dir, constants.W_OK);
}
