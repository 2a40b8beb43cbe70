import { adminAccessToken, registerLearner } from './factories/user.factory.js';
import { api, expectError, testEnv } from './support/api.js';
import { runScript } from './support/platform-process.js';

const find = async (q: string, level?: string) =>
  (await api(`/api/v1/localities?q=${encodeURIComponent(q)}${level ? `&level=${level}` : ''}`)).body.items;

describe('localities', () => {
  it('holds the seeded Lào Cai tree with official-style codes', async () => {
    // Other tests add provinces of their own (codes 40–99, "Thử nghiệm …"); the seed's is code 15.
    const provinces = (await api('/api/v1/localities?level=province&pageSize=100')).body.items;
    const province = provinces.filter((p: { code: string }) => Number(p.code) < 40);
    expect(province).toEqual([
      expect.objectContaining({ code: '15', name: 'Lào Cai', kind: 'tỉnh', parentId: null }),
    ]);
    const communes = (await api(`/api/v1/localities?parentId=${province[0].id}&pageSize=100`)).body;
    const names = communes.items.map((c: { name: string }) => c.name);
    for (const n of [
      'Bát Xát',
      'Mường Khương',
      'Si Ma Cai',
      'Bảo Thắng',
      'Phìn Ngan',
      'Bản Phiệt',
      'Trì Quang',
      'Lương Thịnh',
      'Lâm Giang',
      'Hợp Thành',
    ]) {
      expect(names).toContain(n);
    }
    for (const c of communes.items) {
      expect(c.code).toMatch(/^\d{5}$/);
      expect(c.childCount).toBeGreaterThanOrEqual(6);
    }
    for (const v of ['Sải Duần', 'Pạc Tà', 'Làng Đào 2', 'Lao Chải', 'Mã Tuyển', 'Sơn Hà', 'Nghĩa Dũng']) {
      const [village] = await find(v, 'village');
      expect(village).toMatchObject({ name: v, level: 'village' });
      expect(village.code).toMatch(new RegExp(`^\\d{5}-\\d{3}$`));
    }
  });

  it('searches without accents, in any case, and ranks close names first', async () => {
    expect((await find('sai duan'))[0].name).toBe('Sải Duần');
    expect((await find('BAT XAT'))[0].name).toBe('Bát Xát');
    const names = (items: { name: string }[]) => items.map((i) => i.name);
    expect(names(await find('lang dao 2'))).toEqual(['Làng Đào 2']);
    expect(names(await find('Đào'))).toEqual(expect.arrayContaining(['Làng Đào 1', 'Làng Đào 2']));
    expect(names(await find('DAO'))).toEqual(expect.arrayContaining(['Làng Đào 2']));
    expect((await find('muong khuong', 'commune'))[0].name).toBe('Mường Khương');
    expect(await find('zzzz không có')).toEqual([]);
  });

  it('pages results and rejects bad paging with a 400', async () => {
    const page1 = (await api('/api/v1/localities?level=village&pageSize=5&page=1')).body;
    const page2 = (await api('/api/v1/localities?level=village&pageSize=5&page=2')).body;
    expect(page1.items).toHaveLength(5);
    expect(page1.meta.total).toBeGreaterThan(60);
    expect(page1.items[0].id).not.toBe(page2.items[0].id);
    expectError(await api('/api/v1/localities?pageSize=1000'), 400, 'VALIDATION_FAILED');
    expectError(await api('/api/v1/localities?level=district'), 400, 'VALIDATION_FAILED');
    expectError(await api('/api/v1/localities?parentId=abc'), 400, 'VALIDATION_FAILED');
  });

  it('shows a locality with its lineage', async () => {
    const [village] = await find('pac ta', 'village');
    const detail = (await api(`/api/v1/localities/${village.id}`)).body;
    expect(detail.lineage.map((l: { level: string }) => l.level)).toEqual(['province', 'commune', 'village']);
    expect(detail.lineage[0].name).toBe('Lào Cai');
    expect(detail.fullName).toMatch(/Pạc Tà$/);
    expectError(
      await api('/api/v1/localities/00000000-0000-4000-8000-000000000000'),
      404,
      'GEOGRAPHY_LOCALITY_NOT_FOUND',
    );
  });

  it('lets admins create, rename and delete places under the level rules', async () => {
    const admin = await adminAccessToken();
    const [commune] = await find('hop thanh', 'commune');
    const [province] = (await api('/api/v1/localities?level=province')).body.items;
    const code = `${commune.code}-9${String(Date.now() % 100).padStart(2, '0')}`;
    const created = await api('/api/v1/localities', {
      token: admin,
      body: { code, level: 'village', kind: 'thôn', name: '  Tả   Phời  Mới ', parentId: commune.id },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code, name: 'Tả Phời Mới', parentId: commune.id });

    expectError(
      await api('/api/v1/localities', {
        token: admin,
        body: { code, level: 'village', kind: 'thôn', name: 'Trùng', parentId: commune.id },
      }),
      409,
      'GEOGRAPHY_CODE_TAKEN',
    );
    expectError(
      await api('/api/v1/localities', {
        token: admin,
        body: { code: '02683-777', level: 'village', kind: 'thôn', name: 'Sai mã', parentId: commune.id },
      }),
      400,
      'GEOGRAPHY_INVALID_CODE',
    );
    expectError(
      await api('/api/v1/localities', {
        token: admin,
        body: {
          code: `${commune.code}-778`,
          level: 'village',
          kind: 'xã',
          name: 'Sai loại',
          parentId: commune.id,
        },
      }),
      400,
      'GEOGRAPHY_INVALID_KIND',
    );
    expectError(
      await api('/api/v1/localities', {
        token: admin,
        body: { code: '15-001', level: 'village', kind: 'thôn', name: 'Sai cấp', parentId: province.id },
      }),
      400,
      'GEOGRAPHY_INVALID_PARENT',
    );
    expectError(
      await api('/api/v1/localities', {
        token: admin,
        body: { code: '16', level: 'province', kind: 'tỉnh', name: 'X', parentId: province.id },
      }),
      400,
      'GEOGRAPHY_INVALID_PARENT',
    );

    const renamed = await api(`/api/v1/localities/${created.body.id}`, {
      method: 'PATCH',
      token: admin,
      body: { name: 'Tả Phời' },
    });
    expect(renamed.body.name).toBe('Tả Phời');
    expect((await find('ta phoi', 'village')).map((v: { id: string }) => v.id)).toContain(created.body.id);

    expectError(
      await api(`/api/v1/localities/${commune.id}`, { method: 'DELETE', token: admin }),
      409,
      'GEOGRAPHY_LOCALITY_IN_USE',
    );
    expectError(
      await api(`/api/v1/localities/${commune.id}`, {
        method: 'PATCH',
        token: admin,
        body: { code: '09999' },
      }),
      409,
      'GEOGRAPHY_CODE_LOCKED',
    );

    // A village someone lives in cannot be deleted.
    await registerLearner({ villageId: created.body.id });
    expectError(
      await api(`/api/v1/localities/${created.body.id}`, { method: 'DELETE', token: admin }),
      409,
      'GEOGRAPHY_LOCALITY_IN_USE',
    );

    const unused = await api('/api/v1/localities', {
      token: admin,
      body: {
        code: `${commune.code}-8${String(Date.now() % 100).padStart(2, '0')}`,
        level: 'village',
        kind: 'bản',
        name: 'Bản tạm',
        parentId: commune.id,
      },
    });
    expect(
      (await api(`/api/v1/localities/${unused.body.id}`, { method: 'DELETE', token: admin })).status,
    ).toBe(204);
    expectError(await api(`/api/v1/localities/${unused.body.id}`), 404, 'GEOGRAPHY_LOCALITY_NOT_FOUND');
  });
});

describe('learner groups', () => {
  it('are seeded with names in vi, hmn and en, resolved per language with a fallback marker', async () => {
    const vi = (await api('/api/v1/learner-groups')).body;
    expect(vi.map((g: { code: string }) => g.code)).toEqual([
      'elderly',
      'pupils',
      'officials',
      'small-sellers',
    ]);
    for (const g of vi) {
      expect(g.names.vi && g.names.hmn && g.names.en).toBeTruthy();
      expect(g.name).toEqual({ text: g.names.vi, locale: 'vi', fallback: false });
    }
    const hmn = (await api('/api/v1/learner-groups?lang=hmn')).body;
    expect(hmn[0].name).toEqual({ text: 'Cov neeg laus', locale: 'hmn', fallback: false });
    const dao = (await api('/api/v1/learner-groups?lang=ium')).body;
    expect(dao[0].name).toEqual({ text: 'Người cao tuổi', locale: 'vi', fallback: true });
    expectError(await api('/api/v1/learner-groups?lang=xx'), 400, 'VALIDATION_FAILED');
  });

  it('are data: an admin adds one, archives it (hidden, refused at sign-up) and restores it', async () => {
    const admin = await adminAccessToken();
    const code = `disabled-${Date.now() % 100000}`;
    const created = await api('/api/v1/learner-groups', {
      token: admin,
      body: {
        code,
        names: { vi: 'Người khuyết tật', hmn: 'Cov neeg xiam oob qhab', en: 'People with disabilities' },
        sortOrder: 50,
      },
    });
    expect(created.status).toBe(201);
    expectError(
      await api('/api/v1/learner-groups', { token: admin, body: { code, names: { vi: 'Trùng' } } }),
      409,
      'CATALOG_LEARNER_GROUP_CODE_TAKEN',
    );
    expectError(
      await api('/api/v1/learner-groups', {
        token: admin,
        body: { code: 'no-vi', names: { hmn: 'Tsis muaj' } },
      }),
      400,
      'VALIDATION_FAILED',
    );

    const archived = await api(`/api/v1/learner-groups/${created.body.id}`, {
      method: 'PATCH',
      token: admin,
      body: { archived: true },
    });
    expect(archived.body.archived).toBe(true);
    expect((await api('/api/v1/learner-groups')).body.map((g: { code: string }) => g.code)).not.toContain(
      code,
    );
    expect(
      (await api('/api/v1/learner-groups?includeArchived=true', { token: admin })).body.map(
        (g: { code: string }) => g.code,
      ),
    ).toContain(code);
    const refused = await api('/api/v1/auth/register', {
      body: {
        phone: '0987000001',
        displayName: 'A',
        password: 'Học dùng điện thoại ở bản Sải Duần',
        learnerGroupId: created.body.id,
      },
    });
    expectError(refused, 400, 'IDENTITY_UNKNOWN_LEARNER_GROUP');

    await api(`/api/v1/learner-groups/${created.body.id}`, {
      method: 'PATCH',
      token: admin,
      body: { archived: false },
    });
    expect((await api('/api/v1/learner-groups')).body.map((g: { code: string }) => g.code)).toContain(code);
  });
});

describe('seeding', () => {
  it('is idempotent and never overwrites what admins changed', async () => {
    const admin = await adminAccessToken();
    const [village] = await find('nghia dung', 'village');
    await api(`/api/v1/localities/${village.id}`, {
      method: 'PATCH',
      token: admin,
      body: { name: 'Nghĩa Dũng (đã sửa)' },
    });
    const before = (await api('/api/v1/localities?pageSize=1')).body.meta.total;
    const seeded = await runScript('dist/seeds/run-seeds.js', testEnv());
    expect(seeded.code).toBe(0);
    expect(seeded.output).toMatch(/Seeded \d+ localities and 4 learner groups/);
    expect((await api('/api/v1/localities?pageSize=1')).body.meta.total).toBe(before);
    expect((await api(`/api/v1/localities/${village.id}`)).body.name).toBe('Nghĩa Dũng (đã sửa)');
    await api(`/api/v1/localities/${village.id}`, {
      method: 'PATCH',
      token: admin,
      body: { name: 'Nghĩa Dũng' },
    });
  });
});
