import { spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants } from 'node:fs';
import { createRequire } from 'node:module';

export type MediaTool = 'ffmpeg' | 'ffprobe';

const BUNDLED: Record<MediaTool, string> = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
};

const runs = (binary: string) => spawnSync(binary, ['-version'], { stdio: 'ignore' }).status === 0;

/** The bundled npm binary; npm may have skipped its `chmod u+x` install script. */
function bundled(tool: MediaTool): string | undefined {
  try {
    const path = (createRequire(import.meta.url)(BUNDLED[tool]) as { path: string }).path;
    try {
      accessSync(path, constants.X_OK);
    } catch {
      chmodSync(path, 0o755);
    }
    return path;
  } catch {
    return undefined;
  }
}

/**
 * Where a tool is: the configured path, else the one on PATH, else the bundled npm binary (an
 * old static ffmpeg 4.1: fine for one rendition per run, which is all we ask of it).
 */
export function resolveMediaTool(tool: MediaTool, configured?: string): string {
  if (configured) return configured;
  if (runs(tool)) return tool;
  const fallback = bundled(tool);
  if (fallback && runs(fallback)) return fallback;
  throw new Error(
    `${tool} was not found: install it (apt-get install ffmpeg) or set ${tool.toUpperCase()}_PATH`,
  );
}

export class MediaToolError extends Error {
  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
  ) {
    super(`${tool} failed (exit ${exitCode ?? 'killed'}): ${stderrTail}`);
    this.name = 'MediaToolError';
  }
}

/**
 * Runs a tool with a fixed argument array (never a shell). Resolves with stdout; rejects with the
 * last lines of stderr. Killed after `timeoutMs`.
 */
export function runMediaTool(
  binary: string,
  args: string[],
  options: { timeoutMs: number; cwd?: string },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString('utf8')).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else {
        const tail = err.trim().split('\n').slice(-3).join(' | ');
        reject(new MediaToolError(binary.split('/').pop()!, code, tail));
      }
    });
  });
}
