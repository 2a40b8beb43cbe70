import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import type { Role } from '../../../infrastructure/auth/roles.js';
import { UserEntity } from './user.entity.js';

/** A role held by a user; a coordinator role carries the locality it is scoped to. */
@Entity('user_roles')
export class UserRoleEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @ManyToOne(() => UserEntity, (u) => u.roles, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'user_roles_user_id_fkey' })
  // Relation<> keeps ESM decorator metadata from touching the class before it is defined.
  user?: Relation<UserEntity>;
  @Column({ type: 'varchar', length: 16 }) role!: Role;
  @Column({ name: 'locality_id', type: 'uuid', nullable: true }) localityId!: string | null;
  @Column({ name: 'granted_by', type: 'uuid', nullable: true }) grantedBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
