import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

const LINE_BREAKS_OR_TABS = /[\t\n\r\v\f\u2028\u2029]/;

/**
 * Trims and NFC-normalises user text: Vietnamese typed on different keyboards must compare equal.
 * Single-line text (names, titles) refuses tabs and line breaks (a 400 naming the field) and folds
 * runs of spaces; multi-line text keeps its line breaks (CRLF becomes LF) and drops trailing spaces.
 * Other control characters never get this far (input-hygiene.ts refuses them for every field).
 */
export const NormalizedText =
  (options: { multiline?: boolean } = {}): PropertyDecorator =>
  (target, key) => {
    Transform(({ value }) => {
      if (typeof value !== 'string') return value;
      const text = value.normalize('NFC').replace(/\r\n?/g, '\n').trim();
      return options.multiline
        ? text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n')
        : text.replace(/ {2,}/g, ' ');
    })(target, key);
    if (!options.multiline) {
      ValidateBy({
        name: 'singleLine',
        validator: {
          validate: (value) => typeof value !== 'string' || !LINE_BREAKS_OR_TABS.test(value),
          defaultMessage: (args) => `${args?.property} must be one line (no tabs or line breaks)`,
        },
      })(target, key as string);
    }
  };
