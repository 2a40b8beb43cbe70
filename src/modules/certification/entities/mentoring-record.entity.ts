import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DIGITAL_TASKS, type DigitalTask } from '../../lesson-kinds/practice/digital-tasks.js';

/** What an ambassador helps with: the programme's digital tasks (also what practice lessons ask). */
export const MENTORING_TASKS = DIGITAL_TASKS;
export type MentoringTask = DigitalTask;

/** One household a candidate helped under "1 kèm 5", logged by the candidate, with an optional photo. */
@Entity('mentoring_records')
@Index('mentoring_records_candidate_idx', ['candidateId', 'helpedOn'])
export class MentoringRecordEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'candidate_id', type: 'uuid' }) candidateId!: string;
  @Column({ name: 'helped_on', type: 'date' }) helpedOn!: string;
  /** As the candidate wrote it, e.g. "Hộ ông Sùng A Páo". Personal data: staff only. */
  @Column({ type: 'varchar', length: 120 }) household!: string;
  /** Lower-cased, accent-folded, spaces collapsed: households are counted by it. */
  @Column({ name: 'household_key', type: 'varchar', length: 120 }) householdKey!: string;
  @Column({ name: 'village_id', type: 'uuid', nullable: true }) villageId!: string | null;
  @Column({ type: 'varchar', length: 40 }) task!: MentoringTask;
  @Column({ type: 'varchar', length: 500, nullable: true }) note!: string | null;
  @Column({ name: 'photo_key', type: 'varchar', length: 300, nullable: true }) photoKey!: string | null;
  @Column({ name: 'photo_status', type: 'varchar', length: 16, nullable: true })
  photoStatus!: 'awaiting_upload' | 'ready' | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
