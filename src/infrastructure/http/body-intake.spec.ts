import { BodyTooDeepError, BodyTooLargeError, checkJsonShape } from './body-intake.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('checkJsonShape', () => {
  it('lets ordinary bodies through, Vietnamese and H’Mông text included', () => {
    const body = JSON.stringify({
      title: { vi: 'Thanh toán tiền điện [bước 1]', hmn: 'Them nqi hluav taws xob {1}' },
      steps: [{ body: { vi: 'Bấm "Thanh toán", rồi [OK]' } }],
    });
    expect(() => checkJsonShape(bytes(body))).not.toThrow();
  });

  it('refuses nesting past the limit, counting only brackets outside strings', () => {
    expect(() => checkJsonShape(bytes(`{"a":${'['.repeat(32)}${']'.repeat(32)}}`), 32)).toThrow(
      BodyTooDeepError,
    );
    expect(() => checkJsonShape(bytes(`{"a":${'['.repeat(31)}${']'.repeat(31)}}`), 32)).not.toThrow();
    // Brackets inside strings, escaped quotes included, are text.
    expect(() => checkJsonShape(bytes(`{"a":"\\"${'['.repeat(100)}"}`), 32)).not.toThrow();
  });

  it('refuses more values than the limit, and says which limit', () => {
    const wide = bytes(`[${'0,'.repeat(100)}0]`);
    expect(() => checkJsonShape(wide, 32, 100)).toThrow(BodyTooLargeError);
    try {
      checkJsonShape(wide, 32, 100);
    } catch (e) {
      expect((e as BodyTooLargeError).details).toEqual({ limit: 100, unit: 'values' });
    }
    expect(() => checkJsonShape(bytes(`[${'0,'.repeat(50)}0]`), 32, 100)).not.toThrow();
  });

  it('refuses the 400,000-deep body of the hostile bench at the 33rd level', () => {
    const hostile = bytes(`{"events":${'['.repeat(400_000)}${']'.repeat(400_000)}}`);
    expect(() => checkJsonShape(hostile)).toThrow(new BodyTooDeepError(32));
  });
});
