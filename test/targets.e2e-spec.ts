import pg from 'pg';
import {
  coordinatorOf,
  eligibleCandidate,
  quizCourse,
  testArea,
  testProgramme,
  waitForCertificate,
  type QuizCourse,
  type TestArea,
} from './factories/certification.factory.js';
import { adminAccessToken, registerLearner, userWithRoles, type TestUser } from './factories/user.factory.js';
import { api, apiUrl, expectError, testEnv } from './support/api.js';
import { Browser } from './support/portal-browser.js';

/**
 * The cockpit's foundations: one definition of an active ambassador (the programme's window, used
 * by coverage and the registry), and programme targets — versioned, inherited by communes as a
 * share, held against the area's figures with a projection at the current pace.
 */
describe('programme targets and active ambassadors', () => {
  let db: pg.Client;
  let area: TestArea;
  let course: QuizCourse;
  let programmeId: string;
  let admin: string;
  let active: TestUser;
  let dormant: TestUser;
  let communeCoordinator: TestUser;
  let provinceCoordinator: TestUser;
  const target = (localityId: string, suffix = '') =>
    `/api/v1/certification/programmes/${programmeId}/targets/${localityId}${suffix}`;

  const certify = async (villageId: string, name: string) => {
    const candidate = await eligibleCandidate(villageId, course, 2, { displayName: name });
    const application = (
      await api('/api/v1/certification/applications', { token: candidate.accessToken, body: { programmeId } })
    ).body;
    expect(
      (
        await api(`/api/v1/certification/applications/${application.id}/approve`, {
          token: admin,
          body: { reason: 'Đã xác minh các hộ tại thôn.' },
        })
      ).status,
    ).toBe(200);
    const { rows } = await db.query('SELECT id FROM certificates WHERE application_id = $1', [
      application.id,
    ]);
    await waitForCertificate(candidate.accessToken, rows[0].id);
    return candidate;
  };

  /** The worker applies mentoring records to the rollups from the outbox, a little later. */
  const mentoringApplied = async (mentorId: string, records: number) => {
    for (const until = Date.now() + 30_000; Date.now() < until;) {
      const { rows } = await db.query(
        'SELECT coalesce(sum(households), 0)::int AS n FROM reporting_mentor_days WHERE mentor_id = $1',
        [mentorId],
      );
      if (rows[0].n === records) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`mentoring of ${mentorId} not applied`);
  };

  beforeAll(async () => {
    db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
    admin = await adminAccessToken();
    area = await testArea(2, 2);
    const author = await userWithRoles([{ role: 'trainer' }]);
    const reviewer = await userWithRoles([{ role: 'trainer' }]);
    course = await quizCourse(author, reviewer);
    programmeId = await testProgramme(area, [course.courseId], 2);
    communeCoordinator = await coordinatorOf(area.communes[0].id);
    provinceCoordinator = await coordinatorOf(area.provinceId);
    active = await certify(area.communes[0].villageIds[0], 'Giàng Thị Dua');
    dormant = await certify(area.communes[1].villageIds[0], 'Vàng A Chứ');
    await mentoringApplied(active.id, 2);
    await mentoringApplied(dormant.id, 2);
    // Time passes: one was certified and last helped a household 100 days ago, the other helped
    // 10 days ago (the rollups' days moved, so the test holds whatever today is).
    await db.query(`UPDATE certificates SET issued_at = now() - interval '100 days' WHERE holder_id = $1`, [
      dormant.id,
    ]);
    for (const [who, villageId, ago] of [
      [active.id, area.communes[0].villageIds[0], 10],
      [dormant.id, area.communes[1].villageIds[0], 100],
    ] as const) {
      const today = `(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;
      await db.query(`UPDATE reporting_mentor_days SET day = ${today} - $2::int WHERE mentor_id = $1`, [
        who,
        ago,
      ]);
      await db.query(
        `UPDATE reporting_mentor_last SET last_helped_on = ${today} - $2::int WHERE mentor_id = $1`,
        [who, ago],
      );
      await db.query(
        `UPDATE reporting_village_days SET day = ${today} - $2::int
          WHERE locality_path = (SELECT path FROM localities WHERE id = $1) AND households > 0`,
        [villageId, ago],
      );
    }
  }, 180_000);

  afterAll(async () => {
    await db.end();
  });

  it('counts an ambassador as active by the programme window, in coverage and the registry alike', async () => {
    const coverage = async () =>
      (await api(`/api/v1/certification/coverage?localityId=${area.provinceId}`, { token: admin })).body;
    const registry = async () =>
      (
        await api(`/api/v1/certification/ambassadors?localityId=${area.provinceId}`, { token: admin })
      ).body.items.map((i: any) => i.holderId);
    expect(await coverage()).toMatchObject({ villages: 4, covered: 1 });
    expect(await registry()).toEqual([active.id]);

    const widen = await api(`/api/v1/certification/programmes/${programmeId}`, {
      method: 'PATCH',
      token: admin,
      body: { activeWithinDays: 120 },
    });
    expect([widen.status, widen.body.activeWithinDays]).toEqual([200, 120]);
    expect(await coverage()).toMatchObject({ villages: 4, covered: 2 });
    expect((await registry()).sort()).toEqual([active.id, dormant.id].sort());

    expectError(
      await api(`/api/v1/certification/programmes/${programmeId}`, {
        method: 'PATCH',
        token: admin,
        body: { activeWithinDays: 0 },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await api(`/api/v1/certification/programmes/${programmeId}`, {
      method: 'PATCH',
      token: admin,
      body: { activeWithinDays: 90 },
    });
    expect(await coverage()).toMatchObject({ covered: 1 });
  });

  it("starts the programme window at midnight of its first day in Vietnam's calendar", async () => {
    // The window's first day (90 days back, in Vietnam) begins at this instant.
    const firstDay = `(((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 90)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')`;
    const issue = (at: string) =>
      db.query(`UPDATE certificates SET issued_at = ${at} WHERE holder_id = $1`, [dormant.id]);
    const active = async () =>
      (
        await db.query(`SELECT active FROM reporting_ambassadors WHERE holder_id = $1`, [dormant.id])
      ).rows.map((r) => r.active);
    try {
      // Last helped 100 days ago: only the certification can make them active.
      await issue(firstDay);
      expect(await active()).toEqual([true]);
      await issue(`${firstDay} - interval '1 second'`);
      expect(await active()).toEqual([false]);
    } finally {
      await issue(`now() - interval '100 days'`);
    }
  });

  it("shows an area's figures, equal to a direct count, before any target is set", async () => {
    const res = await api(target(area.provinceId), { token: provinceCoordinator.accessToken });
    expect(res.status).toBe(200);
    const { rows } = await db.query(
      `SELECT (SELECT count(DISTINCT holder_id) FROM certificates c JOIN localities l ON l.id = c.village_id
                WHERE l.path LIKE $1 || '%' AND c.ready_at IS NOT NULL AND c.revoked_at IS NULL
                  AND c.superseded_at IS NULL AND c.expires_at > now())::int AS certified,
              (SELECT count(*) FROM mentoring_records m JOIN users u ON u.id = m.candidate_id
                  JOIN localities l ON l.id = coalesce(m.village_id, u.village_id)
                WHERE l.path LIKE $1 || '%')::int AS households,
              (SELECT count(*) FROM localities WHERE level = 'village' AND path LIKE $1 || '%')::int AS villages`,
      [(await db.query('SELECT path FROM localities WHERE id = $1', [area.provinceId])).rows[0].path],
    );
    expect(res.body).toMatchObject({
      source: 'none',
      version: 0,
      goals: null,
      deadline: null,
      projections: { certifiedAmbassadors: null, activeVillagePercent: null, householdsHelped: null },
      actual: {
        certifiedAmbassadors: rows[0].certified,
        activeAmbassadors: 1,
        villages: rows[0].villages,
        coveredVillages: 1,
        activeVillagePercent: 25,
        householdsHelped: rows[0].households,
      },
    });
    expect([rows[0].certified, rows[0].households, rows[0].villages]).toEqual([2, 4, 4]);
  });

  it('sets targets as versions, gives communes their share and projects the current pace', async () => {
    const set = await api(target(area.provinceId), {
      method: 'PUT',
      token: admin,
      body: {
        deadline: '2028-12-31',
        certifiedAmbassadors: 40,
        activeVillagePercent: 100,
        householdsHelped: 200,
        note: 'Theo Kế hoạch của tỉnh',
      },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ source: 'own', version: 1, deadline: '2028-12-31' });
    // One ambassador certified in the last 90 days (the other 100 days ago): 1/90 a day.
    expect(set.body.projections.certifiedAmbassadors).toMatchObject({
      goal: 40,
      actual: 2,
      perDay: 0.011,
      status: 'behind',
    });
    // 4 households helped, 2 of them in the window; one village of four newly covered.
    expect(set.body.projections.householdsHelped).toMatchObject({ goal: 200, actual: 4, perDay: 0.022 });
    expect(set.body.projections.activeVillagePercent).toMatchObject({ goal: 100, actual: 25, perDay: 0.278 });

    const commune = await api(target(area.communes[0].id), { token: communeCoordinator.accessToken });
    expect(commune.body).toMatchObject({
      source: 'province',
      version: 0,
      deadline: '2028-12-31',
      goals: { certifiedAmbassadors: 20, activeVillagePercent: 100, householdsHelped: 100 },
      actual: { certifiedAmbassadors: 1, villages: 2, coveredVillages: 1, activeVillagePercent: 50 },
    });

    const own = await api(target(area.communes[0].id), {
      method: 'PUT',
      token: admin,
      body: { deadline: '2027-06-30', activeVillagePercent: 100, basedOnVersion: 0 },
    });
    expect(own.body).toMatchObject({
      source: 'own',
      version: 1,
      goals: { certifiedAmbassadors: null, activeVillagePercent: 100, householdsHelped: null },
    });
    expect(own.body.projections.certifiedAmbassadors).toBeNull();

    // A change made from an old version is refused, and of two at once only one lands.
    expectError(
      await api(target(area.communes[0].id), {
        method: 'PUT',
        token: admin,
        body: { deadline: '2027-06-30', activeVillagePercent: 90, basedOnVersion: 0 },
      }),
      409,
      'REPORTING_TARGET_CHANGED',
    );
    const both = await Promise.all(
      [80, 85].map((activeVillagePercent) =>
        api(target(area.communes[0].id), {
          method: 'PUT',
          token: admin,
          body: { deadline: '2027-06-30', activeVillagePercent, basedOnVersion: 1 },
        }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);

    const removed = await api(`${target(area.communes[0].id)}?basedOnVersion=2`, {
      method: 'DELETE',
      token: admin,
    });
    expect(removed.body).toMatchObject({ source: 'province', version: 3 });
    expectError(
      await api(target(area.communes[0].id), { method: 'DELETE', token: admin }),
      404,
      'REPORTING_TARGET_NOT_FOUND',
    );

    const history = await api(target(area.communes[0].id, '/history'), {
      token: provinceCoordinator.accessToken,
    });
    expect(
      history.body.items.map((v: any) => [v.version, v.removed, v.goals?.activeVillagePercent ?? null]),
    ).toEqual([
      [3, true, null],
      [2, false, expect.any(Number)],
      [1, false, 100],
    ]);
    expect(history.body.items[0].changedBy).toMatchObject({ displayName: expect.any(String) });
    const { rows } = await db.query(
      'SELECT count(*)::int AS n FROM reporting_targets WHERE programme_id = $1',
      [programmeId],
    );
    expect(rows[0].n).toBe(4); // nothing overwritten
  });

  it('refuses targets outside the programme, without figures or with bad ones', async () => {
    expectError(
      await api(target(area.communes[0].villageIds[0]), {
        method: 'PUT',
        token: admin,
        body: { deadline: '2028-12-31', certifiedAmbassadors: 1 },
      }),
      400,
      'REPORTING_TARGET_LOCALITY_INVALID',
    );
    const elsewhere = await testArea(1, 1);
    expectError(
      await api(target(elsewhere.communes[0].id), {
        method: 'PUT',
        token: admin,
        body: { deadline: '2028-12-31', certifiedAmbassadors: 1 },
      }),
      400,
      'REPORTING_TARGET_LOCALITY_INVALID',
    );
    expectError(
      await api(target(area.provinceId), { method: 'PUT', token: admin, body: { deadline: '2028-12-31' } }),
      400,
      'REPORTING_TARGET_INVALID',
    );
    for (const body of [
      { deadline: '31/12/2028', certifiedAmbassadors: 1 },
      { deadline: '2028-02-30', certifiedAmbassadors: 1 },
      { deadline: '1999-12-31', certifiedAmbassadors: 1 },
      { deadline: '2028-12-31', activeVillagePercent: 101 },
      { deadline: '2028-12-31', certifiedAmbassadors: -1 },
      { deadline: '2028-12-31', householdsHelped: 1.5 },
    ])
      expectError(
        await api(target(area.provinceId), { method: 'PUT', token: admin, body }),
        400,
        'VALIDATION_FAILED',
      );
    expectError(
      await api(`/api/v1/certification/programmes/${crypto.randomUUID()}/targets/${area.provinceId}`, {
        token: admin,
      }),
      404,
      'CERT_PROGRAMME_NOT_FOUND',
    );
  });

  it('lets admins set targets and coordinators see only their area', async () => {
    const body = { deadline: '2028-12-31', certifiedAmbassadors: 5 };
    expectError(
      await api(target(area.provinceId), { method: 'PUT', token: provinceCoordinator.accessToken, body }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api(target(area.communes[0].id), { method: 'DELETE', token: communeCoordinator.accessToken }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api(target(area.provinceId), { token: communeCoordinator.accessToken }),
      403,
      'OUTSIDE_YOUR_AREA',
    );
    expectError(
      await api(target(area.communes[1].id, '/history'), { token: communeCoordinator.accessToken }),
      403,
      'OUTSIDE_YOUR_AREA',
    );
    expect((await api(target(area.communes[1].id), { token: provinceCoordinator.accessToken })).status).toBe(
      200,
    );
    const learner = await registerLearner({ villageId: area.communes[0].villageIds[0] });
    expectError(await api(target(area.communes[0].id), { token: learner.accessToken }), 403, 'FORBIDDEN');
    expectError(await api(target(area.communes[0].id)), 401, 'UNAUTHENTICATED');
  });

  it('ranks communes by coverage and by targets, and publishes only what admins decide', async () => {
    // A third commune with one village and nobody yet: it ties with the one whose ambassador is
    // dormant. A fourth without villages is not ranked.
    const code = (await db.query('SELECT code FROM localities WHERE id = $1', [area.provinceId])).rows[0]
      .code;
    const commune = async (n: number, name: string) =>
      (
        await api('/api/v1/localities', {
          token: admin,
          body: { code: `${code}${n}`, level: 'commune', kind: 'xã', name, parentId: area.provinceId },
        })
      ).body.id as string;
    const third = await commune(198, 'Tả Van');
    await commune(199, 'Bản Hồ');
    const village = await api('/api/v1/localities', {
      token: admin,
      body: { code: `${code}198-001`, level: 'village', kind: 'thôn', name: 'Séo Mý Tỷ', parentId: third },
    });
    expect(village.status).toBe(201);
    const ranking = (by: string, token = communeCoordinator.accessToken) =>
      api(`/api/v1/certification/programmes/${programmeId}/ranking?by=${by}`, { token });
    const coverage = await ranking('coverage');
    expect(coverage.status).toBe(200);
    expect(
      coverage.body.items.map((r: any) => [r.rank, r.communeId, r.coveredVillages, r.activeVillagePercent]),
    ).toEqual([
      [1, area.communes[0].id, 1, 50],
      [2, area.communes[1].id, 0, 0],
      [2, third, 0, 0],
    ]);
    // Progress toward the province's 40 / 100 % / 200, shared by villages (2, 2 and 1 of 5): the
    // mean of the goals reached.
    const targets = await ranking('targets', provinceCoordinator.accessToken);
    expect(
      targets.body.items.map((r: any) => [r.rank, r.communeId, r.targetProgressPercent, r.targetSource]),
    ).toEqual([
      [1, area.communes[0].id, 19.58, 'province'], // (1/16 + 50/100 + 2/80) / 3
      [2, area.communes[1].id, 2.92, 'province'], // (1/16 + 0 + 2/80) / 3
      [3, third, 0, 'province'],
    ]);

    const outsider = await coordinatorOf((await testArea(1, 1)).provinceId);
    expectError(await ranking('coverage', outsider.accessToken), 403, 'OUTSIDE_YOUR_AREA');
    const learner = await registerLearner({ villageId: area.communes[0].villageIds[0] });
    expectError(await ranking('coverage', learner.accessToken), 403, 'FORBIDDEN');
    expectError(await ranking('best'), 400, 'VALIDATION_FAILED');

    const publicRanking = () => api(`/api/v1/public/programmes/${programmeId}/ranking`);
    const picture = () => api(`/api/v1/public/programmes/${programmeId}/ranking.svg?lang=hmn`);
    const publish = (publishedFrom: string | null, token = admin) =>
      api(`/api/v1/certification/programmes/${programmeId}/ranking/publication`, {
        method: 'PUT',
        token,
        body: { publishedFrom },
      });
    expectError(await publicRanking(), 404, 'REPORTING_RANKING_NOT_PUBLISHED');
    expectError(await publish(new Date().toISOString(), provinceCoordinator.accessToken), 403, 'FORBIDDEN');
    expectError(await publish('next monday'), 400, 'VALIDATION_FAILED');
    const later = await publish(new Date(Date.now() + 86_400_000).toISOString());
    expect([later.status, later.body.published]).toEqual([200, false]);
    expectError(await publicRanking(), 404, 'REPORTING_RANKING_NOT_PUBLISHED');
    expectError(await picture(), 404, 'REPORTING_RANKING_NOT_PUBLISHED');

    expect((await publish(new Date(Date.now() - 1000).toISOString())).body.published).toBe(true);
    const open = await publicRanking();
    expect(open.status).toBe(200);
    expect(open.headers.get('cache-control')).toBe('public, max-age=300');
    expect(open.body.items).toEqual(coverage.body.items);
    // Counts only: no ambassador's name or id anywhere.
    for (const person of ['Giàng Thị Dua', 'Vàng A Chứ', active.id, dormant.id])
      expect(open.text).not.toContain(person);
    const image = await picture();
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(image.text).toMatch(/^<svg [^>]*width="1080" height="1080"/);
    expect(image.text).toContain('Người bản số raws li xã');
    expect(image.text).toContain('Tả Van');
    expect(image.text).not.toContain('Bản Hồ');
    expect(image.text).not.toContain('Giàng Thị Dua');

    // The public page a shared link opens: the table and the picture, in the reader's language.
    const page = await api(`/ranking/${programmeId}`, {
      headers: { cookie: 'bs_lang=en', accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Digital ambassadors by commune');
    expect(page.text).toMatch(/<th scope="row">Tả Van<\/th>/);
    expect(page.text.replaceAll('&#x3D;', '=')).toContain(
      `/api/v1/public/programmes/${programmeId}/ranking.svg?lang=en`,
    );
    expect(page.text).not.toContain('Giàng Thị Dua');
    expect(Buffer.byteLength(page.text)).toBeLessThan(50_000);

    expect((await publish(null)).body).toMatchObject({ published: false, publishedFrom: null });
    const withdrawn = await api(`/ranking/${programmeId}`, { headers: { accept: 'text/html' } });
    expect(withdrawn.status).toBe(404);
    expect(withdrawn.text).toContain('Bảng xếp hạng này chưa được công bố.');
    expectError(await publicRanking(), 404, 'REPORTING_RANKING_NOT_PUBLISHED');
  });

  it("shows a coordinator's dashboard: targets with the projection, weekly charts beside their figures, drill-down", async () => {
    const browser = await Browser.signedIn(provinceCoordinator);
    const province = await browser.request(`/coordinate/dashboard?locality=${area.provinceId}&lang=en`);
    expect(province.status).toBe(200);
    const html = province.text.replaceAll('&#x3D;', '=');
    expect(Buffer.byteLength(html)).toBeLessThan(50_000);
    // The province's own target (set above): 2 of 40 ambassadors, behind at 1/90 a day.
    expect(html).toContain('Certified ambassadors: 2 / 40');
    expect(html).toMatch(
      /At this pace it is reached on \d{2}\/\d{2}\/\d{4}, after the deadline \(31\/12\/2028\)/,
    );
    // Five charts, each an image described by its table of 12 weeks.
    expect(html.match(/<svg class="chart"[^>]*role="img"/g)).toHaveLength(5);
    for (const id of [
      'enrolments',
      'completions',
      'certificatesIssued',
      'householdsHelped',
      'activeAmbassadors',
    ])
      expect(html).toContain(`aria-describedby="trend-${id}-data"`);
    expect(html.match(/<table id="trend-enrolments-data">[\s\S]*?<\/table>/)![0].match(/<tr>/g)).toHaveLength(
      13,
    );
    // An application submitted 12 days ago and not decided is waiting too long.
    const waiting = await eligibleCandidate(area.communes[1].villageIds[1], course, 2, {
      displayName: 'Lý Thị Mai',
    });
    const application = (
      await api('/api/v1/certification/applications', { token: waiting.accessToken, body: { programmeId } })
    ).body;
    await db.query(
      `UPDATE certification_applications SET created_at = now() - interval '12 days' WHERE id = $1`,
      [application.id],
    );
    const withWaiting = (await browser.request(`/coordinate/dashboard?locality=${area.provinceId}&lang=en`))
      .text;
    expect(withWaiting).toContain(`<a href="/coordinate/applications/${application.id}">Lý Thị Mai</a>`);
    expect(withWaiting).toMatch(/<td>First certificate<\/td><td>12<\/td>/);
    // The dormant ambassador is listed; the active one is not.
    expect(html).toContain('Vàng A Chứ');
    expect(html).not.toContain('Giàng Thị Dua');

    // Each table downloads as CSV with the exports' conventions; the figures equal direct counts.
    const csv = async (table: string, lang = 'en') => {
      // The raw bytes: `Response.text()` would silently drop the BOM.
      const res = await fetch(
        `${apiUrl()}/coordinate/dashboard.csv?locality=${area.provinceId}&table=${table}&lang=${lang}`,
        { headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(
        new RegExp(`attachment; filename="dashboard-${table}-\\d{4}-\\d{2}-\\d{2}\\.csv"`),
      );
      const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
      return text
        .slice(1)
        .trimEnd()
        .split('\r\n')
        .map((line) => line.split(','));
    };
    const weeks = await csv('weeks');
    expect(weeks[0]).toEqual([
      'Week of',
      'New enrolments',
      'Courses completed',
      'Certificates issued',
      'Households helped',
      'Active ambassadors (end of week)',
    ]);
    expect(weeks).toHaveLength(13);
    const [{ n: activeNow }] = (
      await db.query(
        `SELECT count(DISTINCT holder_id)::int AS n FROM reporting_active_ambassadors
          WHERE locality_path LIKE (SELECT path FROM localities WHERE id = $1) || '%'`,
        [area.provinceId],
      )
    ).rows;
    expect(activeNow).toBe(1);
    expect(Number(weeks.at(-1)![5])).toBe(activeNow);
    expect(html).toContain('Active ambassadors (end of week): 1');
    const courses = await csv('courses');
    expect(courses[0]).toEqual(['Course', 'Enrolled', 'Completed']);
    const [{ enrolled, completed }] = (
      await db.query(
        `SELECT count(*)::int AS enrolled, count(e.completed_at)::int AS completed
           FROM enrolments e JOIN users u ON u.id = e.learner_id JOIN localities l ON l.id = u.village_id
          WHERE e.course_id = $1 AND l.path LIKE (SELECT path FROM localities WHERE id = $2) || '%'`,
        [course.courseId, area.provinceId],
      )
    ).rows;
    expect(enrolled).toBeGreaterThan(0);
    expect(courses.slice(1).map((r) => r.slice(-2).map(Number))).toContainEqual([enrolled, completed]);
    // Vietnamese headers on request; a table that does not exist is refused.
    expect((await csv('groups', 'vi'))[0]).toEqual(['Nhóm người học', 'Đã ghi danh', 'Đã hoàn thành']);
    expect(
      (await browser.request(`/coordinate/dashboard.csv?locality=${area.provinceId}&table=secrets`)).status,
    ).toBe(400);

    // Somebody who meets the programme but has not applied is listed; one who applied is not.
    const ready = await eligibleCandidate(area.communes[0].villageIds[1], course, 2, {
      displayName: 'Hờ Thị Sua',
    });
    await mentoringApplied(ready.id, 2);
    const eligible = await csv('eligible');
    expect(eligible[0]).toEqual(['Candidate', 'Village', 'Households helped']);
    expect(eligible.map((r) => r[0])).toContain('Hờ Thị Sua');
    expect(eligible.map((r) => r[0])).not.toContain('Lý Thị Mai');
    expect(eligible.map((r) => r[0])).not.toContain('Giàng Thị Dua');
    // Villages without an active ambassador (the dormant one's among them), equal to a direct count.
    const [{ n: uncoveredCount }] = (
      await db.query(
        `SELECT count(*)::int AS n FROM localities v
          WHERE v.level = 'village' AND v.path LIKE (SELECT path FROM localities WHERE id = $1) || '%'
            AND NOT EXISTS (SELECT 1 FROM reporting_active_ambassadors a WHERE a.village_id = v.id)`,
        [area.provinceId],
      )
    ).rows;
    expect(uncoveredCount).toBeGreaterThanOrEqual(3);
    expect(html).toContain(`Villages still without an ambassador <small>(${uncoveredCount})</small>`);
    const uncovered = await csv('uncovered');
    expect(uncovered).toHaveLength(uncoveredCount + 1);
    expect(uncovered[0]).toEqual(['Village', 'Commune']);
    expect(uncovered.map((r) => r[0])).toContain(
      (await db.query(`SELECT name FROM localities WHERE id = $1`, [area.communes[1].villageIds[0]])).rows[0]
        .name,
    );
    // The places below, with their coverage (the active ambassador's commune: 1 of 2 villages).
    expect(html).toContain('<td>1 / 2</td><td>50 %</td>');
    expect(html).toContain('<td>0 / 2</td><td>0 %</td>');
    // Drill down into a commune: its share of the province's target.
    expect(html).toContain(`/coordinate/dashboard?locality=${area.communes[0].id}`);
    const commune = await browser.request(`/coordinate/dashboard?locality=${area.communes[0].id}&lang=vi`);
    expect(commune.text).toContain('Phần chia từ chỉ tiêu của tỉnh');
    // A commune coordinator cannot open the province's dashboard.
    const narrow = await Browser.signedIn(communeCoordinator);
    expect((await narrow.request(`/coordinate/dashboard?locality=${area.provinceId}`)).status).toBe(403);
    expect(
      (await narrow.request(`/coordinate/dashboard.csv?locality=${area.provinceId}&table=eligible`)).status,
    ).toBe(403);
    expect((await narrow.request('/coordinate/dashboard')).status).toBe(200);
    // Admins see any province's, without the coordinators' tabs; learners none.
    const adminUser = await userWithRoles([{ role: 'admin' }]);
    const asAdmin = await (
      await Browser.signedIn(adminUser)
    ).request(`/coordinate/dashboard?locality=${area.provinceId}`);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.text).toContain(
      'Certified ambassadors: 2 / 40'.replace('Certified ambassadors', 'Người bản số có chứng nhận'),
    );
    expect(asAdmin.text).not.toContain('href="/coordinate/coverage"');
    const learner = await Browser.signedIn(
      await registerLearner({ villageId: area.communes[0].villageIds[0] }),
    );
    expect((await learner.request('/coordinate/dashboard')).status).toBe(403);
  });
});
