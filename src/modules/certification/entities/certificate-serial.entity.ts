import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last serial number handed out per prefix and year (taken under the row's lock). */
@Entity('certificate_serials')
export class CertificateSerialEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 }) prefix!: string;
  @PrimaryColumn({ type: 'int' }) year!: number;
  @Column({ name: 'last_number', type: 'int' }) lastNumber!: number;
}
