import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { CredentialStatusListEntity } from './entities/credential-status-list.entity.js';
import {
  permutedIndex,
  pgBitPosition,
  STATUS_LIST_BYTES,
  STATUS_LIST_LENGTH,
  type StatusEntry,
} from './open-badges/status-list.js';

/** The revocation status lists: entries handed out, and bits flipped inside callers' transactions. */
@Injectable()
export class CredentialStatusRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * The next free entry, inside the caller's transaction: the open list's row lock orders
   * concurrent allocations, and a rollback gives the entry back. A full list opens the next one.
   */
  async allocate(m: EntityManager): Promise<StatusEntry> {
    for (;;) {
      // TypeORM answers an UPDATE with [rows, affected].
      const [[row]] = await m.query<[{ id: number; position: number; key: Buffer }[], number]>(
        `UPDATE credential_status_lists SET allocated = allocated + 1
          WHERE id = (SELECT id FROM credential_status_lists WHERE allocated < length ORDER BY id LIMIT 1
                      FOR UPDATE)
          RETURNING id, allocated - 1 AS position, permutation_key AS key`,
      );
      if (row) return { listId: row.id, index: permutedIndex(row.position, row.key) };
      await m.query(
        `INSERT INTO credential_status_lists (length, permutation_key, bits) VALUES ($1, $2, $3)`,
        [STATUS_LIST_LENGTH, randomBytes(32), Buffer.alloc(STATUS_LIST_BYTES)],
      );
    }
  }

  /** Sets an entry's bit (revoked) in the caller's transaction; the list's version moves on. */
  async setRevoked(m: EntityManager, entry: StatusEntry): Promise<void> {
    await m.query(
      `UPDATE credential_status_lists
          SET bits = set_bit(bits, $2, 1), version = version + 1, updated_at = now()
        WHERE id = $1 AND get_bit(bits, $2) = 0`,
      [entry.listId, pgBitPosition(entry.index)],
    );
  }

  /** A list's version, to tell whether a signed copy is still current (null: no such list). */
  async version(listId: number): Promise<number | null> {
    const [row] = await this.dataSource.query<{ version: number }[]>(
      `SELECT version FROM credential_status_lists WHERE id = $1`,
      [listId],
    );
    return row?.version ?? null;
  }

  find(listId: number): Promise<CredentialStatusListEntity | null> {
    return this.dataSource.getRepository(CredentialStatusListEntity).findOneBy({ id: listId });
  }
}
