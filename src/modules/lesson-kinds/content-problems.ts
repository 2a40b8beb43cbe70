import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** `content.steps.0.title.vi: must be a string`: every problem of authored content, by path. */
function flatten(errors: ValidationError[], path = 'content'): string[] {
  return errors.flatMap((e) => {
    const here = `${path}.${e.property}`;
    return [
      ...Object.values(e.constraints ?? {}).map((m) => `${here}: ${m}`),
      ...flatten(e.children ?? [], here),
    ];
  });
}

/** Validates authored content against a kind's DTO; unknown properties are problems too. */
export function validateContent<T extends object>(
  dto: new () => T,
  raw: unknown,
): { value: T; problems: string[] } {
  const value = plainToInstance(dto, raw ?? {});
  return { value, problems: flatten(validateSync(value, { whitelist: true, forbidNonWhitelisted: true })) };
}
