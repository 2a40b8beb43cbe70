import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Portal assets (CSS, scripts, the service worker) live in src/; found from src/ or dist/src/. */
export const ASSETS_DIR = join(
  dirname(fileURLToPath(import.meta.url)).replace(join('dist', 'src'), 'src'),
  '..',
  'assets',
);

export const assetPath = (file: string) => join(ASSETS_DIR, file);

/**
 * One version for all assets, from their content: pages link `portal.css?v=…`, so a browser keeps
 * assets for a year and fetches them again only after a deploy changed them.
 */
export const ASSET_VERSION = (() => {
  const hash = createHash('sha256');
  for (const file of readdirSync(ASSETS_DIR).sort()) hash.update(readFileSync(join(ASSETS_DIR, file)));
  return hash.digest('base64url').slice(0, 10);
})();
