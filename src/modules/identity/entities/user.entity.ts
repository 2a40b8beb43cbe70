import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { UserRoleEntity } from './user-role.entity.js';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** E.164, e.g. `+84912345678`. */
  @Column({ type: 'varchar', length: 16, nullable: true, unique: true }) phone!: string | null;
  /** Lower-cased. */
  @Column({ type: 'varchar', length: 254, nullable: true, unique: true }) email!: string | null;
  @Column({ name: 'display_name', type: 'varchar', length: 120 }) displayName!: string;
  @Column({ name: 'password_hash', type: 'text' }) passwordHash!: string;
  @Column({ name: 'learner_group_id', type: 'uuid', nullable: true }) learnerGroupId!: string | null;
  /** Language fallback chain, most preferred first, e.g. `{hmn,vi}`. */
  @Column({ type: 'text', array: true, default: () => "'{vi}'" }) languages!: string[];
  @Column({ name: 'village_id', type: 'uuid', nullable: true }) villageId!: string | null;
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true }) disabledAt!: Date | null;
  /** When its owner first set a password; null for an account made by staff and not yet accepted. */
  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true, default: () => 'now()' })
  activatedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @OneToMany(() => UserRoleEntity, (r) => r.user) roles?: Relation<UserRoleEntity[]>;
}
