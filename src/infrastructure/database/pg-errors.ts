/** PostgreSQL SQLSTATE codes the services turn into domain errors. */
const codeOf = (e: unknown) =>
  (e as { code?: string; driverError?: { code?: string } })?.driverError?.code ??
  (e as { code?: string })?.code;

export const isUniqueViolation = (e: unknown) => codeOf(e) === '23505';
// 23503 foreign_key_violation (NO ACTION), 23001 restrict_violation (ON DELETE RESTRICT).
export const isForeignKeyViolation = (e: unknown) => ['23503', '23001'].includes(codeOf(e) ?? '');
/** BS002, raised by the course triggers: only a draft's texts and lessons may change. */
export const isDraftOnlyViolation = (e: unknown) => codeOf(e) === 'BS002';
