import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type LocalizedText = Partial<Record<string, string>> & { vi: string };

/** Learner groups are data, not an enum: a province may add its own (e.g. people with disabilities). */
@Entity('learner_groups')
export class LearnerGroupEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 40, unique: true }) code!: string;
  @Column({ type: 'jsonb' }) names!: LocalizedText;
  @Column({ type: 'jsonb', default: () => "'{}'" }) descriptions!: Partial<Record<string, string>>;
  @Column({ name: 'sort_order', type: 'int', default: 100 }) sortOrder!: number;
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true }) archivedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
