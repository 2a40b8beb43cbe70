import { IsString } from 'class-validator';
import { CommonErrorCode, DomainError } from '../../../infrastructure/errors/domain-error.js';
import { createValidationPipe } from '../../../infrastructure/http/validation.js';
import { Optional } from '../../../infrastructure/http/input-rules.js';

/** Every portal form carries the CSRF token (checked before validation; listed so the whitelist allows it). */
export class PortalForm {
  @Optional() @IsString() _csrf?: string;
}

const formPipe = createValidationPipe();

/**
 * A form whose fields depend on what it edits (a lesson's kind), read with that DTO the way the
 * global pipe reads a fixed one: unknown or malformed fields are the same 400.
 */
export async function readForm<T extends object>(dto: new () => T, raw: unknown): Promise<T> {
  return (await formPipe.transform(raw ?? {}, { type: 'body', metatype: dto })) as T;
}

/**
 * `body` read with a domain DTO, as the API reads it (normalised text included), or null when it
 * breaks the DTO's rules: for a form that shows its own words instead of a 400 page. The rule lives
 * once, in the DTO.
 */
export async function meetsRules<T extends object>(dto: new () => T, body: object): Promise<T | null> {
  try {
    return await readForm(dto, body);
  } catch (error) {
    if (error instanceof DomainError && error.code === CommonErrorCode.ValidationFailed) return null;
    throw error;
  }
}
