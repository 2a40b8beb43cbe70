import { Inject, Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT } from 'jose';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../infrastructure/config/app-config.js';

const AUDIENCE = 'banso-api';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Short-lived JWT access tokens (HS256) and opaque session tokens `<sessionId>.<secret>`. */
@Injectable()
export class TokenService {
  private readonly key: Uint8Array;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.key = new TextEncoder().encode(config.auth.accessSecret);
  }

  async signAccessToken(userId: string, sessionId: string): Promise<{ token: string; expiresIn: number }> {
    const expiresIn = this.config.auth.accessTtlSeconds;
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(this.config.publicBaseUrl)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${expiresIn}s`)
      .sign(this.key);
    return { token, expiresIn };
  }

  /** Null for anything not a valid, unexpired token we signed: the guard answers 401. */
  async verifyAccessToken(token: string): Promise<{ userId: string; sessionId: string } | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.config.publicBaseUrl,
        audience: AUDIENCE,
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
      return { userId: payload.sub, sessionId: payload.sid };
    } catch {
      return null;
    }
  }
}

export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameHash(a: string | null, b: string): boolean {
  return !!a && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export function formatSessionToken(sessionId: string, secret: string): string {
  return `${sessionId}.${secret}`;
}

export function parseSessionToken(token: unknown): { sessionId: string; secret: string } | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const [sessionId, secret, ...rest] = token.split('.');
  if (rest.length > 0 || !UUID.test(sessionId ?? '') || !secret || secret.length < 32) return null;
  return { sessionId, secret };
}
