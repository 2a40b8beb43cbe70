import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource, EntityManager } from 'typeorm';

/** Seed data lives in seeds/data (JSON, not compiled); found from seeds/ or dist/seeds/. */
const dataDir = join(
  dirname(fileURLToPath(import.meta.url)).replace(`${join('dist', 'seeds')}`, 'seeds'),
  'data',
);
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(dataDir, file), 'utf8')) as T;

interface LocalityNode {
  code: string;
  level: 'province' | 'commune' | 'village';
  kind: string;
  name: string;
  children?: LocalityNode[];
}

interface LearnerGroupSeed {
  code: string;
  sortOrder: number;
  names: Record<string, string>;
  descriptions: Record<string, string>;
}

async function upsertLocality(
  em: EntityManager,
  node: LocalityNode,
  parent: { id: string; path: string } | null,
) {
  const id = randomUUID();
  const rows: { id: string; path: string }[] = await em.query(
    `INSERT INTO localities (id, code, level, kind, name, parent_id, path)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     -- Existing places keep their (possibly admin-edited) names; the no-op update returns the row.
     ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code
     RETURNING id, path`,
    [
      id,
      node.code,
      node.level,
      node.kind,
      node.name.normalize('NFC'),
      parent?.id ?? null,
      `${parent?.path ?? '/'}${id}/`,
    ],
  );
  for (const child of node.children ?? []) await upsertLocality(em, child, rows[0]);
}

/**
 * Reference data every installation needs: the Lào Cai locality tree and the programme's
 * learner groups. Idempotent and insert-only: re-running adds what is missing and never changes or
 * deletes what is there, so admins' edits survive (the embedded default seeds at every start).
 */
export async function seedReferenceData(
  dataSource: DataSource,
): Promise<{ localities: number; learnerGroups: number }> {
  const tree = readJson<LocalityNode>('localities.json');
  const groups = readJson<LearnerGroupSeed[]>('learner-groups.json');
  await dataSource.transaction(async (em) => {
    await em.query('SELECT pg_advisory_xact_lock(7340219003)');
    await upsertLocality(em, tree, null);
    for (const g of groups) {
      await em.query(
        `INSERT INTO learner_groups (code, names, descriptions, sort_order)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO NOTHING`,
        [g.code, g.names, g.descriptions, g.sortOrder],
      );
    }
  });
  const count = (n: LocalityNode): number => 1 + (n.children ?? []).reduce((s, c) => s + count(c), 0);
  return { localities: count(tree), learnerGroups: groups.length };
}
