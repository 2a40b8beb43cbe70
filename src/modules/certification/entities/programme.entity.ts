import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { Texts } from '../../catalog/learnable-content.service.js';

/**
 * What it takes to become a "Người bản số" in one province: required courses, a quiz average,
 * households helped under "1 kèm 5", and how long the certificate stays valid. Edited by admins.
 */
@Entity('certification_programmes')
@Unique('certification_programmes_code_key', ['code'])
@Unique('certification_programmes_serial_prefix_key', ['serialPrefix'])
export class ProgrammeEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 40 }) code!: string;
  @Column({ name: 'province_id', type: 'uuid' }) provinceId!: string;
  /** `NBS-LCI` → serials `NBS-LCI-2026-000123`. */
  @Column({ name: 'serial_prefix', type: 'varchar', length: 16 }) serialPrefix!: string;
  @Column({ type: 'jsonb' }) names!: Texts & { vi: string };
  @Column({ type: 'jsonb', default: () => "'{}'" }) descriptions!: Texts;
  @Column({ name: 'required_course_ids', type: 'uuid', array: true, default: () => "'{}'" })
  requiredCourseIds!: string[];
  @Column({ name: 'min_average_quiz_score', type: 'numeric', precision: 5, scale: 2 })
  minAverageQuizScore!: string;
  @Column({ name: 'min_households', type: 'int' }) minHouseholds!: number;
  @Column({ name: 'validity_months', type: 'int' }) validityMonths!: number;
  /** How long before expiry a holder may apply for renewal. */
  @Column({ name: 'renewal_window_days', type: 'int', default: 90 }) renewalWindowDays!: number;
  /**
   * An ambassador is active while they helped a household, or were certified, within this many
   * days (reporting_ambassadors): coverage, the registry, dashboards and rankings count only them.
   */
  @Column({ name: 'active_within_days', type: 'int', default: 90 }) activeWithinDays!: number;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
