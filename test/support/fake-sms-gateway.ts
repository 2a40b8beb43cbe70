import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake gateway was asked to send. */
export interface SentSms {
  to: string;
  text: string;
  encoding: string;
  authorization: string | null;
  at: string;
}

/**
 * A local SMS gateway speaking the platform's HTTP adapter protocol (POST `{ to, text, encoding }`
 * with a bearer token): it records every message and answers 202, or 503 for a number ending in
 * 99 (a gateway failing for now) and 400 for one ending in 98 (a number it refuses). `GET` on the
 * same path lists what it recorded, `?to=` for one number. `npm test` runs one for the platform's
 * processes (SMS_GATEWAY_URL).
 */
export async function startFakeSmsGateway(token: string) {
  const sent: SentSms[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET') {
      const to = url.searchParams.get('to');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(sent.filter((m) => !to || m.to === to)));
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const authorization = req.headers.authorization ?? null;
      if (authorization !== `Bearer ${token}`) {
        res.writeHead(401).end();
        return;
      }
      const m = JSON.parse(body) as Omit<SentSms, 'authorization' | 'at'>;
      if (m.to.endsWith('99')) return void res.writeHead(503).end();
      if (m.to.endsWith('98')) return void res.writeHead(400).end();
      sent.push({ ...m, authorization, at: new Date().toISOString() });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
