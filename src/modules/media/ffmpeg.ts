import { spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants } from 'node:fs';
import { createRequire } from 'node:module';

export type MediaTool = 'ffmpeg' | 'ffprobe';

const BUNDLED: Record<MediaTool, string> = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
};

/** Whether the binary answers `-version`; `env` (tests) replaces the process's environment. */
const runs = (binary: string, env?: NodeJS.ProcessEnv) =>
  spawnSync(binary, ['-version'], { stdio: 'ignore', ...(env && { env }) }).status === 0;

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

/** Where a tool comes from: set by FFMPEG_PATH/FFPROBE_PATH, the system's (PATH), or the npm-bundled fallback. */
export type MediaToolSource = 'configured' | 'system' | 'bundled' | 'missing';

/**
 * Where a tool is: the configured path, else the one on PATH, else the bundled npm binary (an
 * old static ffmpeg 4.1: fine for one rendition per run, which is all we ask of it).
 */
export function describeMediaTool(
  tool: MediaTool,
  configured?: string,
  env?: NodeJS.ProcessEnv,
): { source: MediaToolSource; path: string | null } {
  if (configured) return { source: 'configured', path: configured };
  // Probing runs the binary synchronously (~0.1 s of a blocked event loop): once per process.
  const known = env ? undefined : found.get(tool);
  if (known) return known;
  const result = probe(tool, env);
  if (!env) found.set(tool, result);
  return result;
}

const found = new Map<MediaTool, { source: MediaToolSource; path: string | null }>();

function probe(tool: MediaTool, env?: NodeJS.ProcessEnv): { source: MediaToolSource; path: string | null } {
  if (runs(tool, env)) return { source: 'system', path: tool };
  const fallback = bundled(tool);
  if (fallback && runs(fallback, env)) return { source: 'bundled', path: fallback };
  return { source: 'missing', path: null };
}

/** What to tell an operator whose tool is the fallback or missing. */
export const MEDIA_TOOL_ADVICE =
  "install Debian's ffmpeg (apt-get install ffmpeg) or set FFMPEG_PATH and FFPROBE_PATH";

export function resolveMediaTool(tool: MediaTool, configured?: string): string {
  const { path } = describeMediaTool(tool, configured);
  if (!path) throw new Error(`${tool} was not found: ${MEDIA_TOOL_ADVICE}`);
  return path;
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
  options: { timeoutMs: number; cwd?: string; output?: 'stdout' | 'stderr' },
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
      // Some filters (loudnorm) report on stderr: its last 4,000 characters.
      if (code === 0) resolve(options.output === 'stderr' ? err : Buffer.concat(out).toString('utf8'));
      else {
        const tail = err.trim().split('\n').slice(-3).join(' | ');
        reject(new MediaToolError(binary.split('/').pop()!, code, tail));
      }
    });
  });
}
