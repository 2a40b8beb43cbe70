import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const LOCALITY_LEVELS = ['province', 'commune', 'village'] as const;
export type LocalityLevel = (typeof LOCALITY_LEVELS)[number];
/** Vietnamese unit kinds: tỉnh; xã / phường / đặc khu; thôn / bản / tổ dân phố. */
export const LOCALITY_KINDS: Record<LocalityLevel, readonly string[]> = {
  province: ['tỉnh', 'thành phố'],
  commune: ['xã', 'phường', 'đặc khu'],
  village: ['thôn', 'bản', 'tổ dân phố', 'khu phố'],
};

/** Province → commune/ward → village. `path` lists ancestor ids for subtree queries. */
@Entity('localities')
@Index('localities_name_search_idx', { synchronize: false })
@Index('localities_path_idx', { synchronize: false })
export class LocalityEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 16, unique: true }) code!: string;
  @Column({ type: 'varchar', length: 16 }) level!: LocalityLevel;
  @Column({ type: 'varchar', length: 24 }) kind!: string;
  @Column({ type: 'varchar', length: 120 }) name!: string;
  @Index('localities_parent_idx')
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;
  /** `/<province id>/<commune id>/<own id>/` */
  @Column({ type: 'text' }) path!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
