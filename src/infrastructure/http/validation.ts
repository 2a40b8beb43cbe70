import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { CommonErrorCode, DomainError } from '../errors/domain-error.js';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

export interface FieldProblem {
  /** The field's path in the input: `title.vi`, `questions[2].options[0].text.hmn`. */
  field: string;
  /** Machine-readable names of the rules it broke (`isString`, `maxLength`, `whitelistValidation`…). */
  problems: string[];
  messages: string[];
}

/** Flattens class-validator's tree into one entry per field, with its full path. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = /^\d+$/.test(e.property)
      ? `${parent}[${e.property}]`
      : parent
        ? `${parent}.${e.property}`
        : e.property;
    const own: FieldProblem[] = e.constraints
      ? [{ field, problems: Object.keys(e.constraints), messages: Object.values(e.constraints) }]
      : [];
    return [...own, ...fieldProblems(e.children ?? [], field)];
  });
}

/** Global validation: unknown properties are refused (so nobody can smuggle in `roles`). */
export function createValidationPipe(): ValidationPipe {
  cacheValidationMetadata();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = fieldProblems(errors);
      const messages = fields.flatMap((f) =>
        f.messages.map((m) => (m.startsWith(f.field) ? m : `${f.field}: ${m}`)),
      );
      return new DomainError(CommonErrorCode.ValidationFailed, messages.join('; ') || 'Invalid input.', {
        fields,
      });
    },
  });
}
