import { inheritedGoals, project } from './targets.js';

describe('project', () => {
  const base = { today: '2026-12-07', deadline: '2028-12-31' };

  it('says when the goal is reached at the current pace, and whether that is by the deadline', () => {
    // 1,200 of 3,000 ambassadors, 2 a day: 900 days → 2029-05-25, after the deadline.
    expect(project({ ...base, goal: 3000, actual: 1200, perDay: 2 })).toEqual({
      goal: 3000,
      actual: 1200,
      perDay: 2,
      neededPerDay: 2.384, // 1,800 over 755 days
      status: 'behind',
      reachesOn: '2029-05-25',
    });
    const fast = project({ ...base, goal: 3000, actual: 1200, perDay: 3 });
    expect([fast.status, fast.reachesOn]).toEqual(['on_track', '2028-07-29']);
  });

  it('is reached at or past the goal, and stalled without any gain', () => {
    expect(project({ ...base, goal: 100, actual: 100, perDay: 0 })).toMatchObject({
      status: 'reached',
      neededPerDay: 0,
      reachesOn: null,
    });
    expect(project({ ...base, goal: 100, actual: 40, perDay: 0 })).toMatchObject({
      status: 'stalled',
      reachesOn: null,
    });
    expect(project({ ...base, goal: 100, actual: 40, perDay: -0.5 }).status).toBe('stalled');
  });

  it('asks for the whole rest at once once the deadline has passed', () => {
    const late = project({ goal: 100, actual: 40, perDay: 1, today: '2029-01-10', deadline: '2028-12-31' });
    expect([late.neededPerDay, late.status, late.reachesOn]).toEqual([60, 'behind', '2029-03-11']);
  });
});

describe('inheritedGoals', () => {
  it('gives a commune its share of counts by villages, rounded up, and the same percentage', () => {
    const province = { certifiedAmbassadors: 3000, activeVillagePercent: 100, householdsHelped: 15000 };
    expect(inheritedGoals(province, 31, 2900)).toEqual({
      certifiedAmbassadors: 33, // 32.07 → 33
      activeVillagePercent: 100,
      householdsHelped: 161, // 160.3 → 161
    });
    expect(inheritedGoals({ ...province, householdsHelped: null }, 0, 2900)).toEqual({
      certifiedAmbassadors: 0,
      activeVillagePercent: 100,
      householdsHelped: null,
    });
  });
});
