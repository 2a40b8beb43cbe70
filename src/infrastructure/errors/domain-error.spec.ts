import { CommonErrorCode, DomainError, errorStatuses, httpStatusOf } from './domain-error.js';

describe('error codes and their HTTP statuses', () => {
  it('knows the status of every declared code, and treats an undeclared one as a bug (500)', () => {
    errorStatuses({ TEST_GONE_FISHING: 409 });
    expect(httpStatusOf('TEST_GONE_FISHING')).toBe(409);
    expect(httpStatusOf(CommonErrorCode.Forbidden)).toBe(403);
    expect(httpStatusOf('TEST_NEVER_DECLARED')).toBe(500);
  });

  it('refuses one code declared with two statuses', () => {
    errorStatuses({ TEST_TWICE: 400 });
    expect(() => errorStatuses({ TEST_TWICE: 409 })).toThrow(/two statuses/);
    expect(() => errorStatuses({ TEST_TWICE: 400 })).not.toThrow();
  });

  it('carries a code and details, not a status', () => {
    const e = new DomainError('TEST_GONE_FISHING', 'Gone fishing.', { until: 'Monday' });
    expect(e).toMatchObject({
      code: 'TEST_GONE_FISHING',
      message: 'Gone fishing.',
      details: { until: 'Monday' },
    });
    expect('statusCode' in e).toBe(false);
  });
});
