import { Transform } from 'class-transformer';

/** Trims and NFC-normalises user text: Vietnamese typed on different keyboards must compare equal. */
export const NormalizedText = () =>
  Transform(({ value }) =>
    typeof value === 'string' ? value.normalize('NFC').trim().replace(/\s+/g, ' ') : value,
  );
