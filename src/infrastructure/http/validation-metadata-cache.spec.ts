import { IsInt, IsString, MaxLength, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

class Base {
  @IsString() name!: string;
}
class Child extends Base {
  @IsInt() age!: number;
}

const problems = (value: object) =>
  validateSync(value).map((e) => [e.property, Object.keys(e.constraints ?? {})]);

describe('cacheValidationMetadata', () => {
  it('gives the same answers as without the cache, inherited rules included, and sees classes declared later', () => {
    const before = problems(Object.assign(new Child(), { name: 3, age: 'x' }));
    cacheValidationMetadata();
    cacheValidationMetadata(); // installing twice changes nothing
    expect(problems(Object.assign(new Child(), { name: 3, age: 'x' }))).toEqual(before);
    expect(before).toEqual([
      ['age', ['isInt']],
      ['name', ['isString']],
    ]);
    expect(problems(Object.assign(new Child(), { name: 'Mai', age: 70 }))).toEqual([]);

    // A class loaded after the first lookups: its rules (and a new rule for a cached class) count.
    class Later extends Child {
      @MaxLength(3) nickname!: string;
    }
    expect(problems(Object.assign(new Later(), { name: 'Mai', age: 70, nickname: 'Dế mèn' }))).toEqual([
      ['nickname', ['maxLength']],
    ]);
    expect(problems(Object.assign(new Child(), { name: 'Mai', age: 70 }))).toEqual([]);
  });
});
