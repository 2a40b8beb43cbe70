import type { DataSource } from 'typeorm';

/**
 * The Lào Cai "Người bản số" programme: three core courses, a 70 % quiz average, five households
 * helped under "1 kèm 5", valid 24 months. Inserted once by code; admins edit it afterwards.
 */
const PROGRAMME = {
  code: 'nguoi-ban-so-lao-cai',
  provinceCode: '15',
  serialPrefix: 'NBS-LCI',
  names: {
    vi: 'Người bản số tỉnh Lào Cai',
    hmn: 'Neeg txawj digital hauv xeev Lào Cai',
    en: 'Lào Cai digital village ambassador',
  },
  descriptions: {
    vi: 'Người dân được tổ điều phối công nhận hướng dẫn bà con trong thôn, bản sử dụng dịch vụ số theo mô hình “1 kèm 5”.',
    hmn: 'Tus neeg uas pab qhia cov neeg hauv zos siv cov kev pab cuam digital raws li “1 pab 5”.',
    en: 'A villager recognised by the coordination team to guide neighbours in using digital services, "1 kèm 5".',
  },
  courseSlugs: [
    'lam-quen-dien-thoai-thong-minh',
    'tai-khoan-vneid-muc-do-2',
    'nhom-zalo-thon-ban-va-mo-hinh-1-kem-5',
  ],
  minAverageQuizScore: 70,
  minHouseholds: 5,
  validityMonths: 24,
};

export async function seedProgrammes(dataSource: DataSource): Promise<{ created: number }> {
  const [province] = await dataSource.query<{ id: string }[]>(
    `SELECT id FROM localities WHERE code = $1 AND level = 'province'`,
    [PROGRAMME.provinceCode],
  );
  if (!province) return { created: 0 };
  const courses = await dataSource.query<{ id: string; slug: string }[]>(
    `SELECT id, slug FROM courses WHERE slug = ANY($1)`,
    [PROGRAMME.courseSlugs],
  );
  const ids = PROGRAMME.courseSlugs.map((slug) => courses.find((c) => c.slug === slug)?.id).filter(Boolean);
  const rows = await dataSource.query<{ id: string }[]>(
    `INSERT INTO certification_programmes
       (code, province_id, serial_prefix, names, descriptions, required_course_ids, min_average_quiz_score,
        min_households, validity_months)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (code) DO NOTHING RETURNING id`,
    [
      PROGRAMME.code,
      province.id,
      PROGRAMME.serialPrefix,
      PROGRAMME.names,
      PROGRAMME.descriptions,
      ids,
      PROGRAMME.minAverageQuizScore,
      PROGRAMME.minHouseholds,
      PROGRAMME.validityMonths,
    ],
  );
  return { created: rows.length };
}
