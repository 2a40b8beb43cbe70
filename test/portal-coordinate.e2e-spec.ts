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
import { api, apiUrl } from './support/api.js';
import { Browser } from './support/portal-browser.js';

const HTML = { accept: 'text/html' };
const FORMULA_NAME = '=HYPERLINK("x")';

const signIn = (user: TestUser) => Browser.signedIn(user);

/** A CSRF token from a page the browser may open. */
async function csrf(browser: Browser, path = '/coordinate'): Promise<string> {
  return Browser.csrfFrom((await browser.request(path)).text);
}

/** The raw bytes of a download: `Response.text()` would silently drop the BOM. */
async function download(browser: Browser, path: string) {
  const res = await fetch(`${apiUrl()}${path}`, {
    headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...HTML },
    redirect: 'manual',
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: bytes.toString('utf8') };
}

const apply = async (user: TestUser, programmeId: string) => {
  const res = await api('/api/v1/certification/applications', {
    token: user.accessToken,
    body: { programmeId },
  });
  if (res.status !== 201) throw new Error(`apply: ${res.status} ${res.text}`);
  return res.body.id as string;
};

describe('portal: coordinator pages', () => {
  let area: TestArea;
  let course: QuizCourse;
  let programmeId: string;
  let coordinator: TestUser;
  let otherCoordinator: TestUser;
  let provinceCoordinator: TestUser;
  let candidate: TestUser;
  let applicationId: string;
  let formulaApplicationId: string;

  beforeAll(async () => {
    // Three villages per commune: the third is never served, so it stays on the uncovered list.
    area = await testArea(2, 3);
    const author = await userWithRoles([{ role: 'trainer' }]);
    const reviewer = await userWithRoles([{ role: 'trainer' }]);
    course = await quizCourse(author, reviewer);
    programmeId = await testProgramme(area, [course.courseId], 2);
    coordinator = await coordinatorOf(area.communes[0].id);
    otherCoordinator = await coordinatorOf(area.communes[1].id);
    provinceCoordinator = await coordinatorOf(area.provinceId);
    candidate = await eligibleCandidate(area.communes[0].villageIds[0], course, 2);
    applicationId = await apply(candidate, programmeId);
    const formulaCandidate = await eligibleCandidate(area.communes[0].villageIds[1], course, 2, {
      displayName: FORMULA_NAME,
    });
    formulaApplicationId = await apply(formulaCandidate, programmeId);
  });

  it('lets a commune coordinator review, approve by form, see the certificate issued and revoke it', async () => {
    const browser = await signIn(coordinator);

    const queue = await browser.request('/coordinate', { headers: HTML });
    expect(queue.status).toBe(200);
    expect(queue.text).toContain('Hồ sơ chờ duyệt');
    expect(queue.text).toContain('Sùng Thị Mỷ');
    expect(queue.text).toContain('Pạc Tà 1.1');
    expect(queue.text).toContain('Người bản số thử nghiệm');
    expect(queue.text).toContain(`/coordinate/applications/${applicationId}`);
    // Filtered by status: nothing of this area has been approved yet.
    const approvedTab = await browser.request('/coordinate?status=approved', { headers: HTML });
    expect(approvedTab.text).not.toContain(`/coordinate/applications/${applicationId}`);

    const detailPath = `/coordinate/applications/${applicationId}`;
    const detail = await browser.request(detailPath, { headers: HTML });
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('Thanh toán tiền điện qua điện thoại'); // the course, version 1
    expect(detail.text).toMatch(/<td>1 <small>/);
    expect(detail.text).toContain('<td>100</td>'); // quiz score
    expect(detail.text).toContain('Hộ ông Sùng A 1'); // mentoring evidence
    expect(detail.text).toContain('Cài VNeID mức 2');
    expect(detail.text).toContain('Đủ điều kiện');
    expect(detail.text).toContain('Nộp hồ sơ'); // audit trail
    expect(detail.text).toContain(`action="${detailPath}/approve"`);

    // Rejecting needs a reason: the page comes back with the words, and nothing changes.
    const token = Browser.csrfFrom(detail.text);
    const empty = await browser.request(`${detailPath}/reject`, {
      form: { reason: '  ', _csrf: token },
      headers: HTML,
    });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Vui lòng ghi lý do');
    expect(empty.text).toContain('aria-invalid="true"');
    const unchanged = await api(`/api/v1/certification/applications/${applicationId}`, {
      token: coordinator.accessToken,
    });
    expect(unchanged.body.status).toBe('submitted');
    expect(unchanged.body.audit).toHaveLength(1);

    const approved = await browser.request(`${detailPath}/approve`, {
      form: { reason: 'Đã xác minh 2 hộ tại thôn Pạc Tà.', _csrf: token },
      headers: HTML,
    });
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toBe(`${detailPath}?notice=approved`);
    const after = await browser.request(`${detailPath}?notice=approved`, { headers: HTML });
    expect(after.text).toContain('Đã duyệt');
    expect(after.text).toContain('Đã xác minh 2 hộ tại thôn Pạc Tà.');
    expect(after.text).not.toContain(`action="${detailPath}/approve"`);

    const state = await api(`/api/v1/certification/applications/${applicationId}`, {
      token: coordinator.accessToken,
    });
    expect(state.body.status).toBe('approved');
    const issued = await waitForCertificate(coordinator.accessToken, state.body.certificate.id);
    expect(issued.status).toBe('valid');

    const withCertificate = await browser.request(detailPath, { headers: HTML });
    expect(withCertificate.text).toContain('Đã cấp, đang có hiệu lực');
    expect(withCertificate.text).toContain(issued.serial);
    expect(withCertificate.text).toContain(`/verify/${issued.verificationCode}`);
    expect(withCertificate.text).toContain(`action="${detailPath}/revoke"`);

    // Revoking needs a reason too.
    const revokeToken = Browser.csrfFrom(withCertificate.text);
    const noReason = await browser.request(`${detailPath}/revoke`, {
      form: { reason: '', _csrf: revokeToken },
      headers: HTML,
    });
    expect(noReason.status).toBe(400);
    expect(
      (await api(`/api/v1/certificates/${issued.id}`, { token: coordinator.accessToken })).body.status,
    ).toBe('valid');
    const revoked = await browser.request(`${detailPath}/revoke`, {
      form: { reason: 'Đã chuyển đi nơi khác sinh sống.', _csrf: revokeToken },
      headers: HTML,
    });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('location')).toBe(`${detailPath}?notice=revoked`);
    const certificate = await api(`/api/v1/certificates/${issued.id}`, { token: coordinator.accessToken });
    expect(certificate.body).toMatchObject({
      status: 'revoked',
      revocationReason: 'Đã chuyển đi nơi khác sinh sống.',
    });
    const page = await browser.request(detailPath, { headers: HTML });
    expect(page.text).toContain('Đã thu hồi');
    expect(page.text).toContain('Thu hồi chứng nhận'); // in the audit trail
    expect(page.text).not.toContain(`action="${detailPath}/revoke"`);
  });

  it('refuses coordinators of other communes, learners and anonymous visitors', async () => {
    const other = await signIn(otherCoordinator);
    const token = await csrf(other);
    const detailPath = `/coordinate/applications/${formulaApplicationId}`;
    const queue = await other.request('/coordinate', { headers: HTML });
    expect(queue.status).toBe(200);
    expect(queue.text).not.toContain(formulaApplicationId);

    const detail = await other.request(detailPath, { headers: HTML });
    expect([403, 404]).toContain(detail.status);
    expect(detail.text).toContain('<html');
    for (const action of ['approve', 'reject', 'revoke']) {
      const res = await other.request(`${detailPath}/${action}`, {
        form: { reason: 'Không thuộc địa bàn.', _csrf: token },
        headers: HTML,
      });
      expect([403, 404]).toContain(res.status);
    }
    // Even with an empty reason: the area is checked before the form.
    const emptyReject = await other.request(`${detailPath}/reject`, {
      form: { reason: '', _csrf: token },
      headers: HTML,
    });
    expect([403, 404]).toContain(emptyReject.status);
    const still = await api(`/api/v1/certification/applications/${formulaApplicationId}`, {
      token: coordinator.accessToken,
    });
    expect(still.body.status).toBe('submitted');

    for (const file of ['candidates', 'ambassadors', 'coverage']) {
      const res = await download(other, `/coordinate/exports/${file}.csv?locality=${area.communes[0].id}`);
      expect(res.status).toBe(403);
    }
    const ownScope = await download(other, '/coordinate/exports/candidates.csv');
    expect(ownScope.status).toBe(200);
    expect(ownScope.text).not.toContain('HYPERLINK');
    expect(ownScope.text).not.toContain('Sùng Thị Mỷ');
    const otherCoverage = await other.request(`/coordinate/coverage?locality=${area.communes[0].id}`, {
      headers: HTML,
    });
    expect(otherCoverage.status).toBe(403);

    const learner = await signIn(await registerLearner());
    for (const path of [
      '/coordinate',
      detailPath,
      '/coordinate/coverage',
      '/coordinate/exports/candidates.csv',
    ]) {
      const res = await learner.request(path, { headers: HTML });
      expect(res.status).toBe(403);
    }
    const learnerPost = await learner.request(`${detailPath}/approve`, {
      form: { reason: 'Tôi tự duyệt.', _csrf: await csrf(learner, '/') },
      headers: HTML,
    });
    expect(learnerPost.status).toBe(403);

    const anonymous = await new Browser().request('/coordinate', { headers: HTML });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/login?next=%2Fcoordinate');
  });

  it('shows nobody deciding their own application as a refusal page', async () => {
    // A candidate of the commune who is also one of its coordinators.
    const self = await eligibleCandidate(area.communes[0].villageIds[2], course, 2, {
      displayName: 'Lò Văn Tự',
    });
    const ownId = await apply(self, programmeId);
    const grant = await api(`/api/v1/admin/users/${self.id}/roles`, {
      method: 'PUT',
      token: await adminAccessToken(),
      body: { roles: [{ role: 'coordinator', localityId: area.communes[0].id }] },
    });
    expect(grant.status).toBe(200);
    const browser = await signIn(self);
    const page = await browser.request(`/coordinate/applications/${ownId}`, { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`/coordinate/applications/${ownId}/approve"`);
    expect(page.text).toContain('Bạn không thể tự duyệt hồ sơ của mình');
    const res = await browser.request(`/coordinate/applications/${ownId}/approve`, {
      form: { reason: 'Tôi đủ điều kiện.', _csrf: Browser.csrfFrom(page.text) },
      headers: HTML,
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Một điều phối viên khác phải quyết định');
    const still = await api(`/api/v1/certification/applications/${ownId}`, {
      token: coordinator.accessToken,
    });
    expect(still.body.status).toBe('submitted');
  });

  it('shows coverage by village and by commune, the villages without an ambassador and the registry', async () => {
    // The candidate named like a spreadsheet formula becomes the ambassador of village 1.2.
    const approved = await api(`/api/v1/certification/applications/${formulaApplicationId}/approve`, {
      token: coordinator.accessToken,
      body: { reason: 'Đã xác minh các hộ tại thôn.' },
    });
    expect(approved.status).toBe(200);
    await waitForCertificate(coordinator.accessToken, approved.body.certificate.id);

    const browser = await signIn(coordinator);
    const page = await browser.request('/coordinate/coverage', { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Theo thôn, bản');
    expect(page.text).toMatch(/role="progressbar"[^>]*aria-valuenow="100" aria-label="Pạc Tà 1.2"/);
    expect(page.text).toMatch(/role="progressbar"[^>]*aria-valuenow="0" aria-label="Pạc Tà 1.3"/);
    const uncovered = /<ul id="uncovered">([\s\S]*?)<\/ul>/.exec(page.text)![1];
    expect(uncovered).toContain('Pạc Tà 1.3');
    expect(uncovered).not.toContain('Pạc Tà 1.2');
    expect(page.text).toContain('&#x3D;HYPERLINK(&quot;x&quot;)'); // in the registry, escaped

    const province = await signIn(provinceCoordinator);
    const whole = await province.request('/coordinate/coverage', { headers: HTML });
    expect(whole.status).toBe(200);
    expect(whole.text).toContain('Theo xã');
    expect(whole.text).toMatch(/aria-label="Bản Phiệt 1"/);
    expect(whole.text).toMatch(/aria-label="Bản Phiệt 2"/);
    // Handlebars writes `=` in attributes as `&#x3D;`.
    expect(whole.text).toContain(`/coordinate/coverage?locality&#x3D;${area.communes[0].id}`);
    const commune = await province.request(`/coordinate/coverage?locality=${area.communes[0].id}`, {
      headers: HTML,
    });
    expect(commune.status).toBe(200);
    expect(commune.text).toMatch(/aria-label="Pạc Tà 1.2"/);
  });

  it('exports CSV files with a BOM, headers in the reader’s language and formula-safe cells', async () => {
    const browser = await signIn(coordinator);
    const candidates = await download(browser, '/coordinate/exports/candidates.csv');
    expect(candidates.status).toBe(200);
    expect(candidates.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(candidates.headers.get('content-disposition')).toMatch(/^attachment; filename="candidates-/);
    expect([...candidates.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = candidates.text.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Người đăng ký,"Thôn, bản",Xã,Chương trình,Loại hồ sơ,Trạng thái,Ngày nộp,Ngày quyết định,Lý do,' +
        'Điểm trung bình bài kiểm tra,Số hộ đã kèm',
    );
    expect(candidates.text).toContain('Sùng Thị Mỷ,Pạc Tà 1.1,Bản Phiệt 1,');
    expect(candidates.text).toContain(`"'=HYPERLINK(""x"")",Pạc Tà 1.2`);
    expect(candidates.text).not.toMatch(/(^|\r\n|,)=HYPERLINK/);
    expect(candidates.text.endsWith('\r\n')).toBe(true);

    const ambassadors = await download(browser, '/coordinate/exports/ambassadors.csv');
    expect(ambassadors.status).toBe(200);
    expect([...ambassadors.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(ambassadors.headers.get('content-disposition')).toMatch(/^attachment; filename="ambassadors-/);
    expect(ambassadors.text.slice(1).split('\r\n')[0]).toBe(
      'Người bản số,"Thôn, bản",Xã,Số hiệu chứng nhận,Ngày cấp,Có giá trị đến',
    );
    expect(ambassadors.text).toContain(`"'=HYPERLINK(""x"")",Pạc Tà 1.2,Bản Phiệt 1,`);
    expect(ambassadors.text).not.toContain('Sùng Thị Mỷ'); // revoked: no longer active

    const coverage = await download(browser, '/coordinate/exports/coverage.csv');
    expect(coverage.status).toBe(200);
    expect([...coverage.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(coverage.text.slice(1).split('\r\n')).toEqual([
      'Xã,"Thôn, bản",Số Người bản số đang hoạt động,Đã có Người bản số',
      'Bản Phiệt 1,Pạc Tà 1.1,0,Chưa',
      'Bản Phiệt 1,Pạc Tà 1.2,1,Có',
      'Bản Phiệt 1,Pạc Tà 1.3,0,Chưa',
      '',
    ]);

    // Headers follow the reader's language.
    const english = await download(browser, '/coordinate/exports/coverage.csv?lang=en');
    expect(english.text.slice(1).split('\r\n')[0]).toBe('Commune,Village,Active ambassadors,Covered');
  });
});
