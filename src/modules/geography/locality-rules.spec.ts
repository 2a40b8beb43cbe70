import { codeProblem, kindAllowed } from './locality-rules.js';

describe('locality rules', () => {
  it('accepts official-style codes per level', () => {
    expect(codeProblem('province', '15', null)).toBeNull();
    expect(codeProblem('commune', '02683', '15')).toBeNull();
    expect(codeProblem('village', '02683-004', '02683')).toBeNull();
  });

  it('names the expected shape when a code is wrong', () => {
    expect(codeProblem('province', '150', null)).toMatch(/"15"/);
    expect(codeProblem('commune', 'BX', '15')).toMatch(/"02683"/);
    expect(codeProblem('village', '02761-004', '02683')).toMatch(/starts with its commune's code/);
  });

  it('knows the Vietnamese unit kinds of each level', () => {
    expect(kindAllowed('village', 'bản')).toBe(true);
    expect(kindAllowed('village', 'xã')).toBe(false);
    expect(kindAllowed('commune', 'phường')).toBe(true);
  });
});
