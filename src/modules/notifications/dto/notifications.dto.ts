import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNumber, IsString, Matches, MaxLength } from 'class-validator';
import { NestedObject, Nullable, Optional } from '../../../infrastructure/http/input-rules.js';
import { PageMetaDto, PageQueryDto } from '../../../infrastructure/http/pagination.js';
import { CHANNELS, NOTIFICATION_KINDS } from '../notification-texts.js';

const CHAIN = /^(vi|hmn|ium|tyz|en)(,(vi|hmn|ium|tyz|en)){0,4}$/;

export class NotificationLangQueryDto {
  @ApiPropertyOptional({ example: 'hmn,vi', description: "Display languages; default: the reader's profile" })
  @Optional()
  @Matches(CHAIN, { message: 'lang must be a comma-separated list of vi, hmn, ium, tyz, en' })
  lang?: string;
}

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Only unread ones' })
  @Optional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';

  @ApiPropertyOptional({ example: 'hmn,vi', description: "Display languages; default: the reader's profile" })
  @Optional()
  @Matches(CHAIN, { message: 'lang must be a comma-separated list of vi, hmn, ium, tyz, en' })
  lang?: string;
}

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ enum: ['vi', 'hmn', 'en'], description: 'The language the texts are in' }) locale!: string;
  @ApiProperty({ type: String, nullable: true, example: '/certificates', description: 'Portal page to open' })
  link!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readAt!: string | null;
}

export class InboxResponse extends PageMetaDto {
  @ApiProperty({ type: [NotificationResponse] }) items!: NotificationResponse[];
  @ApiProperty({ type: 'integer' }) unread!: number;
}

export class MarkedReadResponse {
  @ApiProperty({ type: 'integer' }) marked!: number;
}

class QuietHoursResponse {
  @ApiProperty({ example: '21:00' }) from!: string;
  @ApiProperty({ example: '07:00' }) until!: string;
  @ApiProperty({ example: 'Asia/Ho_Chi_Minh' }) timeZone!: string;
}

class PushSettingsResponse {
  @ApiProperty({ description: "The user's choice" }) enabled!: boolean;
  @ApiProperty({ description: 'Web Push is set up on this server' }) available!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'VAPID public key (applicationServerKey)' })
  publicKey!: string | null;
  @ApiProperty({ type: 'integer', description: 'Browsers subscribed' }) subscriptions!: number;
}

class SmsSettingsResponse {
  @ApiProperty({ description: "The user's choice" }) enabled!: boolean;
  @ApiProperty({ description: 'A gateway is set up and the account has a phone number' }) available!: boolean;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
}

export class NotificationSettingsResponse {
  @ApiProperty({ type: QuietHoursResponse }) quietHours!: QuietHoursResponse;
  @ApiProperty({ type: PushSettingsResponse }) push!: PushSettingsResponse;
  @ApiProperty({ type: SmsSettingsResponse }) sms!: SmsSettingsResponse;
}

export class ChannelParamDto {
  @ApiProperty({ enum: CHANNELS }) @IsIn(CHANNELS) channel!: (typeof CHANNELS)[number];
}

export class SetChannelDto {
  @ApiProperty({ description: 'false: no reminders by this channel (the inbox keeps them)' })
  @IsBoolean()
  enabled!: boolean;
}

class PushKeysDto {
  @ApiProperty({ description: "The browser's P-256 public key, base64url (65 bytes)" })
  @IsString()
  @MaxLength(200)
  p256dh!: string;
  @ApiProperty({ description: 'The auth secret, base64url (16 bytes)' })
  @IsString()
  @MaxLength(100)
  auth!: string;
}

/** A browser's PushSubscription, as its toJSON() gives it. */
export class PushSubscriptionDto {
  @ApiProperty({ example: 'https://fcm.googleapis.com/fcm/send/…' })
  @IsString()
  @MaxLength(1000)
  endpoint!: string;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Ignored' })
  @Nullable()
  @IsNumber()
  expirationTime?: number | null;
  @ApiProperty({ type: PushKeysDto })
  @NestedObject(() => PushKeysDto)
  keys!: PushKeysDto;
}

export class PushSubscriptionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
}
