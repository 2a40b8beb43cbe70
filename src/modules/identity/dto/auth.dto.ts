import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsString,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';
import { NestedArray, Nullable, Optional } from '../../../infrastructure/http/input-rules.js';
import { PageMetaDto } from '../../../infrastructure/http/pagination.js';
import { NormalizedText } from '../../../infrastructure/http/text.js';
import { CONTENT_LOCALES } from '../../../infrastructure/i18n/locales.js';
import { PASSWORD_MAX_LENGTH } from '../password-policy.js';
import { ROLES } from '../../../infrastructure/auth/roles.js';

export class RegisterDto {
  @ApiPropertyOptional({
    example: '0912 345 678',
    description: 'Vietnamese mobile number; phone or email is required',
  })
  @Optional()
  @IsString()
  @MaxLength(24)
  phone?: string;

  @ApiPropertyOptional({ example: 'lan.giangvien@example.vn' })
  @Optional()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string;

  @ApiProperty({ example: 'Giàng Thị Mai' })
  @NormalizedText()
  @IsString()
  @Length(1, 120)
  displayName!: string;

  @ApiProperty({ minLength: 8, maxLength: PASSWORD_MAX_LENGTH, description: 'Long passphrases welcome' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  password!: string;

  @ApiPropertyOptional({ description: 'Learner group id' }) @Optional() @IsUUID() learnerGroupId?: string;

  @ApiPropertyOptional({
    example: ['hmn', 'vi'],
    description: 'Language fallback chain, most preferred first',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(CONTENT_LOCALES, { each: true, message: `languages must be among ${CONTENT_LOCALES.join(', ')}` })
  languages?: string[];

  @ApiPropertyOptional({ description: 'Village (thôn/bản) id' }) @Optional() @IsUUID() villageId?: string;
}

export class LoginDto {
  @ApiProperty({ example: '0912345678', description: 'Phone number (any common spelling) or email' })
  @IsString()
  @Length(3, 254)
  identifier!: string;

  @ApiProperty() @IsString() @MaxLength(PASSWORD_MAX_LENGTH * 4) password!: string;
}

export class RefreshDto {
  @ApiProperty() @IsString() @MaxLength(200) refreshToken!: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: "Ends this refresh token's session; without it, the caller's session" })
  @Optional()
  @IsString()
  @MaxLength(200)
  refreshToken?: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MaxLength(PASSWORD_MAX_LENGTH * 4) currentPassword!: string;
  @ApiProperty() @IsString() @MaxLength(PASSWORD_MAX_LENGTH * 4) newPassword!: string;
}

export class UpdateProfileDto {
  @ApiPropertyOptional() @Optional() @NormalizedText() @IsString() @Length(1, 120) displayName?: string;
  @ApiPropertyOptional({ nullable: true }) @Nullable() @IsUUID() learnerGroupId?: string | null;
  @ApiPropertyOptional({ example: ['hmn', 'vi'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(CONTENT_LOCALES, { each: true, message: `languages must be among ${CONTENT_LOCALES.join(', ')}` })
  languages?: string[];
  @ApiPropertyOptional({ nullable: true }) @Nullable() @IsUUID() villageId?: string | null;
}

export class RoleGrantDto {
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: (typeof ROLES)[number];
  @ApiPropertyOptional({ description: 'Required for coordinator: the province or commune they coordinate' })
  @Optional()
  @IsUUID()
  localityId?: string;
}

export class SetRolesDto {
  @ApiProperty({ type: [RoleGrantDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @NestedArray(() => RoleGrantDto)
  roles!: RoleGrantDto[];
}

export class RoleGrantResponse {
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) localityId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The locality's name (user management answers; null elsewhere)",
  })
  localityName!: string | null;
}

export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String, example: '+84912345678' }) phone!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: [RoleGrantResponse] }) roles!: RoleGrantResponse[];
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) learnerGroupId!: string | null;
  @ApiProperty({ example: ['hmn', 'vi'] }) languages!: string[];
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) villageId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      "The village and commune, e.g. 'Bản Sả Séng, Xã Bản Hồ' (user management answers; null elsewhere)",
  })
  villageName!: string | null;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ description: 'false: made by staff, waiting for its owner to accept the invitation' })
  activated!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TokenResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds' }) expiresIn!: number;
  @ApiProperty({ description: 'Rotates on every refresh' }) refreshToken!: string;
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
}

export class CsrfTokenResponse {
  @ApiProperty({ description: 'Send as the x-csrf-token header (or _csrf form field) with cookie sessions' })
  csrfToken!: string;
}

export class UserPageResponse {
  @ApiProperty({ type: [UserResponse] }) items!: UserResponse[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}

/** An account made by staff (an admin, or a coordinator for a village of their area). */
export class CreateAccountDto {
  @ApiPropertyOptional({
    example: '0912 345 678',
    description: 'Vietnamese mobile number; phone or email is required',
  })
  @Optional()
  @IsString()
  @MaxLength(24)
  phone?: string;

  @ApiPropertyOptional({ example: 'can-bo@laocai.gov.vn' })
  @Optional()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string;

  @ApiProperty({ example: 'Vàng Thị Mai' })
  @NormalizedText()
  @IsString()
  @Length(1, 120)
  displayName!: string;

  @ApiPropertyOptional({
    type: [RoleGrantDto],
    description: 'Default: learner. Coordinators may only make learner accounts',
  })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @NestedArray(() => RoleGrantDto)
  roles?: RoleGrantDto[];

  @ApiPropertyOptional({
    description: 'Village (thôn/bản) id; required when a coordinator makes the account',
  })
  @Optional()
  @IsUUID()
  villageId?: string;

  @ApiPropertyOptional({ description: 'Learner group id' }) @Optional() @IsUUID() learnerGroupId?: string;

  @ApiPropertyOptional({
    example: ['hmn', 'vi'],
    description: 'Language fallback chain, most preferred first',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(CONTENT_LOCALES, { each: true, message: `languages must be among ${CONTENT_LOCALES.join(', ')}` })
  languages?: string[];
}

export class InvitationResponse {
  @ApiProperty({
    example: 'K7MP-34XA',
    description: 'One-time code to give its owner (read aloud or written down); shown only now',
  })
  code!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({
    example: 'https://banso.laocai.gov.vn/invitation',
    description: 'Where the owner enters it',
  })
  acceptUrl!: string;
}

export class InvitedAccountResponse {
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
  @ApiProperty({ type: InvitationResponse }) invitation!: InvitationResponse;
}

export class AcceptInvitationDto {
  @ApiProperty({ example: '0912345678', description: 'The phone number or email the account was made with' })
  @IsString()
  @Length(3, 254)
  identifier!: string;

  @ApiProperty({ example: 'K7MP-34XA', description: 'Any case; spaces and dashes are ignored' })
  @IsString()
  @Length(8, 20)
  code!: string;

  @ApiProperty({ description: 'The new password' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  password!: string;
}

export class IssueRecoveryCodeDto {
  @ApiProperty({ example: '0912345678', description: "The learner's phone number (or an account's email)" })
  @IsString()
  @Length(3, 254)
  identifier!: string;
}

export class RecoveryCodeResponse {
  @ApiProperty({
    example: '482 913',
    description: 'One-time code to read out to the account owner; shown only now',
  })
  code!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ description: 'Whose account it opens: check it with the person in front of you' })
  displayName!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Bản Sải Duần, Xã Bản Hồ' }) villageName!:
    string | null;
  @ApiProperty({ example: 'https://banso.laocai.gov.vn/recover', description: 'Where the owner enters it' })
  recoverUrl!: string;
}

export class RecoverAccountDto {
  @ApiProperty({ example: '0912345678', description: 'The phone number or email of the account' })
  @IsString()
  @Length(3, 254)
  identifier!: string;

  @ApiProperty({ example: '482 913', description: 'Six digits; spaces, dashes and dots are ignored' })
  @IsString()
  @Length(6, 20)
  code!: string;

  @ApiProperty({ description: 'The new password' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  password!: string;
}

export class RequestRecoverySmsDto {
  @ApiProperty({ example: '0912345678' }) @IsString() @Length(3, 24) phone!: string;
}

export class RecoverySmsResponse {
  @ApiProperty({
    example: 30,
    description:
      'The same answer whether or not the number has an account: if it has a learner account, a code is on its way, valid this many minutes',
  })
  expiresInMinutes!: number;
}
