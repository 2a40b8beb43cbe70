import { Transform } from 'class-transformer';

/**
 * Trims and NFC-normalises user text: Vietnamese typed on different keyboards must compare equal.
 * Single-line text also folds runs of white space; multi-line text keeps its line breaks.
 */
export const NormalizedText = (options: { multiline?: boolean } = {}) =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const text = value.normalize('NFC').replace(/\r\n?/g, '\n').trim();
    return options.multiline
      ? text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n')
      : text.replace(/\s+/g, ' ');
  });
