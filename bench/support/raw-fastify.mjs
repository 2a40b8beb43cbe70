// A raw Fastify hello-world in its own process: the ceiling any route of ours is compared with.
import { spawn } from 'node:child_process';
import { freePort } from './embedded-platform.mjs';

const SERVER = `
import Fastify from 'fastify';
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('listening');
`;

/** Starts it (pinned to `cpu` with taskset when given); resolves with its address and `stop()`. */
export async function startRawFastify({ cpu } = {}) {
  const port = await freePort();
  const args = ['--input-type=module', '-e', SERVER];
  const child =
    cpu === undefined
      ? spawn(process.execPath, args, {
          env: { ...process.env, PORT: String(port) },
          stdio: ['ignore', 'pipe', 'inherit'],
        })
      : spawn('taskset', ['-c', String(cpu), process.execPath, ...args], {
          env: { ...process.env, PORT: String(port) },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`raw Fastify exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    // taskset execs node in place: the same process.
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r()));
    },
  };
}
