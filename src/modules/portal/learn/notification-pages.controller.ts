import { Body, Get, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { Authenticated } from '../../../infrastructure/auth/auth.decorators.js';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { CHANNELS, type Channel } from '../../notifications/notification-texts.js';
import { NotificationsService } from '../../notifications/notifications.service.js';
import { Page, PortalPages } from '../shell/page.js';
import { PortalForm } from '../shell/portal-form.js';
import type { PortalPage } from '../shell/portal-view.js';

const PAGE_SIZE = 20;

class InboxPageQuery {
  @Optional() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) page?: number;
  @Optional() @IsString() lang?: string;
  @Optional() @IsString() notice?: string;
}

class ChannelForm extends PortalForm {
  @IsIn(['true', 'false']) enabled!: 'true' | 'false';
}

class ChannelParam {
  @IsIn(CHANNELS) channel!: Channel;
}

/**
 * Every signed-in user's notifications: the inbox (opening one marks it read and goes where it
 * points), and the reminder channels: SMS on or off, Web Push on this phone (notifications.js).
 */
@Authenticated()
@PortalPages('learn', '/notifications')
export class NotificationPagesController {
  constructor(@Inject(NotificationsService) private readonly notifications: NotificationsService) {}

  @Get()
  async inbox(@Page() page: PortalPage, @Query() q: InboxPageQuery) {
    const userId = page.user!.id;
    const current = q.page ?? 1;
    const [inbox, settings] = await Promise.all([
      // In the page's language (the menus around them are), then the reader's own.
      this.notifications.inbox(userId, { page: current, pageSize: PAGE_SIZE }, [page.locale, ...page.chain]),
      this.notifications.settings(userId),
    ]);
    const pages = Math.max(1, Math.ceil(inbox.total / PAGE_SIZE));
    return page.render(
      'notifications',
      {
        inbox,
        settings,
        channels: (['sms', 'push'] as const).map((channel) => ({
          channel,
          ...settings[channel],
          label: page.t(`notifications.channel.${channel}`, { phone: settings.sms.phone ?? '' }),
        })),
        paging: {
          prev: current > 1 ? `/notifications?page=${current - 1}` : null,
          next: current < pages ? `/notifications?page=${current + 1}` : null,
          page: current,
          pages,
        },
      },
      {
        title: page.t('notifications.title'),
        scripts: settings.push.available ? ['/assets/notifications.js'] : [],
      },
    );
  }

  /** Marks it read and opens what it is about (a path on this site, from the notification itself). */
  @Post(':id/open')
  async open(@Param('id', ParseUUIDPipe) id: string, @Page() page: PortalPage, @Body() _form: PortalForm) {
    const n = await this.notifications.markRead(page.user!.id, id, [page.locale, ...page.chain]);
    return page.redirect(n.link?.startsWith('/') && !n.link.startsWith('//') ? n.link : '/notifications');
  }

  @Post('read-all')
  async readAll(@Page() page: PortalPage, @Body() _form: PortalForm) {
    await this.notifications.markAllRead(page.user!.id);
    return page.redirect('/notifications');
  }

  @Post('channels/:channel')
  async setChannel(@Param() p: ChannelParam, @Page() page: PortalPage, @Body() form: ChannelForm) {
    await this.notifications.setChannel(page.user!.id, p.channel, form.enabled === 'true');
    return page.redirect('/notifications?notice=saved');
  }
}
