import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsObject, ValidateIf, ValidateNested } from 'class-validator';
import { CommonErrorCode, DomainError } from '../errors/domain-error.js';

/**
 * The field may be left out but not sent as `null`: null is a value the column cannot hold, so it
 * must be a 400 naming the field, not a NOT NULL violation (a 500). Use it instead of
 * class-validator's `@IsOptional()`, which lets `null` through (ESLint enforces it in modules).
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

/** The field may be left out, or sent as `null` where null means something ("clear it", "unlimited"). */
export const Nullable = (): PropertyDecorator =>
  ValidateIf((_object, value) => value !== undefined && value !== null);

type Constructor = abstract new (...args: never[]) => unknown;

/**
 * A nested object of the given DTO. An array is refused (class-transformer would otherwise map it
 * element by element and an empty array would pass validation).
 */
export function NestedObject(type: () => Constructor): PropertyDecorator {
  return (target, key) => {
    IsObject({ message: '$property must be an object' })(target, key);
    ValidateNested()(target, key);
    Type(type as () => new () => unknown)(target, key);
  };
}

/** An array whose every element is an object of the given DTO. */
export function NestedArray(type: () => Constructor): PropertyDecorator {
  return (target, key) => {
    IsArray()(target, key);
    IsObject({ each: true, message: 'each value in $property must be an object' })(target, key);
    ValidateNested({ each: true })(target, key);
    Type(type as () => new () => unknown)(target, key);
  };
}

const INT32_MAX = 2_147_483_647;

/**
 * A positive whole number in a path (`/versions/3`): anything else, including values past the
 * database's int32 columns, is a 400 naming the parameter rather than a database error. (The
 * global ValidationPipe may already have turned the text into a number.)
 */
@Injectable()
export class ParsePositiveIntPipe implements PipeTransform<string | number, number> {
  transform(value: string | number, meta: ArgumentMetadata): number {
    const n = typeof value === 'number' ? value : /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (Number.isInteger(n) && n >= 1 && n <= INT32_MAX) return n;
    const field = meta.data ?? 'parameter';
    throw new DomainError(
      CommonErrorCode.ValidationFailed,
      `${field} must be a whole number from 1 to ${INT32_MAX}.`,
      { fields: [{ field, in: meta.type, problems: ['isInt', 'max'] }] },
    );
  }
}
