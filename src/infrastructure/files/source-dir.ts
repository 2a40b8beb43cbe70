import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The source folder of a module file, for files read at run time (templates, messages, assets)
 * that the compiler does not copy: the same from `src/` (tests) and `dist/src/` (built).
 */
export const sourceDirOf = (importMetaUrl: string): string =>
  dirname(fileURLToPath(importMetaUrl)).replace(join('dist', 'src'), 'src');
