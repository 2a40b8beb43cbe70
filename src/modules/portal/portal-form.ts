import { IsOptional, IsString } from 'class-validator';

/** Every portal form carries the CSRF token (checked before validation; listed so the whitelist allows it). */
export class PortalForm {
  @IsOptional() @IsString() _csrf?: string;
}
