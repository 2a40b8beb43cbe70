import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../../infrastructure/auth/auth.decorators.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { UsersService } from '../identity/users.service.js';
import {
  ChannelParamDto,
  InboxQueryDto,
  InboxResponse,
  MarkedReadResponse,
  NotificationLangQueryDto,
  NotificationResponse,
  NotificationSettingsResponse,
  PushSubscriptionDto,
  PushSubscriptionResponse,
  SetChannelDto,
} from './dto/notifications.dto.js';
import { NotificationsErrorCode as Code } from './notifications.errors.js';
import { NotificationsService } from './notifications.service.js';

/** Every user's inbox, their reminder channels and the browsers they get Web Push on. */
@ApiTags('notifications')
@Authenticated()
@Controller('api/v1/me')
export class NotificationsController {
  constructor(
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  @Get('notifications')
  @ApiOperation({ summary: 'My notifications, newest first, with the unread count' })
  @ApiOkResponse({ type: InboxResponse })
  async inbox(@CurrentPrincipal() who: Principal, @Query() q: InboxQueryDto) {
    return this.notifications.inbox(
      who.userId,
      { page: q.page, pageSize: q.pageSize, unread: q.unread === 'true' },
      await this.languages(who, q),
    );
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Marks one of my notifications read' })
  @ApiOkResponse({ type: NotificationResponse })
  @ApiErrors({ 404: [Code.NotificationNotFound] })
  async read(
    @CurrentPrincipal() who: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: NotificationLangQueryDto,
  ) {
    return this.notifications.markRead(who.userId, id, await this.languages(who, q));
  }

  @Post('notifications/read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Marks all my notifications read' })
  @ApiOkResponse({ type: MarkedReadResponse })
  readAll(@CurrentPrincipal() who: Principal) {
    return this.notifications.markAllRead(who.userId);
  }

  @Get('notification-settings')
  @ApiOperation({ summary: 'My reminder channels (Web Push, SMS) and the quiet hours' })
  @ApiOkResponse({ type: NotificationSettingsResponse })
  settings(@CurrentPrincipal() who: Principal) {
    return this.notifications.settings(who.userId);
  }

  @Put('notification-settings/:channel')
  @ApiOperation({ summary: 'Turns reminders by one channel on or off (the inbox always keeps them)' })
  @ApiOkResponse({ type: NotificationSettingsResponse })
  setChannel(@CurrentPrincipal() who: Principal, @Param() p: ChannelParamDto, @Body() dto: SetChannelDto) {
    return this.notifications.setChannel(who.userId, p.channel, dto.enabled);
  }

  @Post('push-subscriptions')
  @HttpCode(200)
  @ApiOperation({ summary: "Keeps this browser's Web Push subscription (PushSubscription.toJSON())" })
  @ApiOkResponse({ type: PushSubscriptionResponse })
  @ApiErrors({ 400: [Code.SubscriptionInvalid], 409: [Code.ChannelUnavailable] })
  subscribe(@CurrentPrincipal() who: Principal, @Body() dto: PushSubscriptionDto) {
    return this.notifications.subscribe(who.userId, dto);
  }

  @Delete('push-subscriptions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stops Web Push to one of my browsers' })
  @ApiNoContentResponse()
  @ApiErrors({ 404: [Code.SubscriptionNotFound] })
  async unsubscribe(@CurrentPrincipal() who: Principal, @Param('id', ParseUUIDPipe) id: string) {
    await this.notifications.unsubscribe(who.userId, id);
  }

  /** Texts follow the reader (like every route): `?lang=`, else the reader's profile languages. */
  private async languages(who: Principal, q: { lang?: string }): Promise<string[]> {
    return q.lang ? q.lang.split(',') : (await this.users.get(who.userId)).languages;
  }
}
