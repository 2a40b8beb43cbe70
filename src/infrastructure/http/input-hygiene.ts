import type { FastifyRequest } from 'fastify';
import { CommonErrorCode, DomainError } from '../errors/domain-error.js';

/**
 * One hygiene pass over everything a request carries — JSON bodies, form posts, query strings and
 * path parameters, on the API and the portal alike — before any handler sees it:
 * - C0 control characters (NUL included) and DEL are refused; tab, line feed and carriage return
 *   pass here, and single-line fields refuse them in their DTO (`SingleLineText`);
 * - lone UTF-16 surrogates (text that is not Unicode) are refused;
 * - text is NFC-normalised, so Vietnamese typed on different keyboards compares equal.
 * Each refusal is a 400 naming the field. Secrets are checked but never rewritten: a password
 * must stay byte-for-byte what was hashed.
 */
export class InvalidTextError extends DomainError {
  constructor(field: string, reason: 'CONTROL_CHARACTER' | 'LONE_SURROGATE', where: string) {
    super(
      CommonErrorCode.ValidationFailed,
      reason === 'CONTROL_CHARACTER'
        ? `${field} contains a control character; only tab and line breaks are allowed, and only in multi-line text.`
        : `${field} is not valid Unicode text (it contains a lone surrogate).`,
      { fields: [{ field, in: where, problems: [reason] }] },
    );
  }
}

/** Printable ASCII plus tab/LF/CR: nothing to check or normalise (the common case, one regex test). */
const PLAIN = /^[\x20-\x7e\t\n\r]*$/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const SECRET_KEY = /password|secret|token/i;

function cleanString(value: string, field: string, where: string, secret: boolean): string {
  if (PLAIN.test(value)) return value;
  if (CONTROL.test(value)) throw new InvalidTextError(field, 'CONTROL_CHARACTER', where);
  if (!value.isWellFormed()) throw new InvalidTextError(field, 'LONE_SURROGATE', where);
  return secret ? value : value.normalize('NFC');
}

const fieldName = (parent: string, key: string | number) =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/**
 * Checks and normalises every string (and object key) in a parsed value, in place. Depth is
 * already bounded by the body intake (32 levels), so recursion is safe.
 */
export function cleanInput(value: unknown, where: string, path = '', secret = false): unknown {
  if (typeof value === 'string') return cleanString(value, path || where, where, secret);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = cleanInput(value[i], where, fieldName(path, i), secret);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const name = fieldName(path, key);
      // Keys become property names and log fields: they may not carry controls either.
      cleanString(key, name, where, true);
      record[key] = cleanInput(record[key], where, name, secret || SECRET_KEY.test(key));
    }
  }
  return value;
}

/**
 * Cleans what a request carries, or throws InvalidTextError: called by the request pipeline's
 * preValidation hook (request-pipeline.ts), after parsing and routing, before guards, pipes and
 * handlers.
 */
export function cleanRequestInput(req: FastifyRequest): void {
  if (req.params) cleanInput(req.params, 'path');
  if (req.query) cleanInput(req.query, 'query');
  if (req.body !== undefined && req.body !== null && typeof req.body === 'object')
    cleanInput(req.body, 'body');
  else if (typeof req.body === 'string') req.body = cleanInput(req.body, 'body');
}
