/**
 * Credential instants are whole seconds: a JWT's `nbf`/`exp` (whole seconds) must equal
 * `validFrom`/`validUntil`, and readers that drop milliseconds must read the same instant.
 */
export const wholeSeconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

/** An XML Schema dateTime in UTC without fractional seconds, e.g. `2026-12-08T02:10:00Z`. */
export const vcDateTime = (d: Date) => wholeSeconds(d).toISOString().replace('.000Z', 'Z');
