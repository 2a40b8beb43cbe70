import { Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { Public } from '../../../infrastructure/auth/auth.decorators.js';
import { documentDayOf } from '../../../infrastructure/i18n/vietnam-time.js';
import { RankingService } from '../../reporting/ranking.service.js';
import { Page, PortalPages } from './page.js';
import { type PortalPage } from './portal-view.js';

/**
 * The published ranking of communes, for anyone (a link shared in a Zalo group): a table of counts
 * and the picture to forward. Not published: a 404 page saying so.
 */
@PortalPages('shell')
export class RankingPageController {
  constructor(@Inject(RankingService) private readonly rankings: RankingService) {}

  @Get('/ranking/:programmeId')
  @Public()
  async ranking(@Param('programmeId', ParseUUIDPipe) programmeId: string, @Page() page: PortalPage) {
    const title = page.t('ranking.title');
    page.onRefusal((r) => page.render('ranking', { found: false }, { title, status: r.status }), {
      statuses: [404],
    });
    const ranking = await this.rankings.publicRanking(programmeId, 'coverage');
    void page.reply.header('cache-control', 'public, max-age=300');
    return page.render(
      'ranking',
      {
        found: true,
        ranking,
        subtitle: page.t('ranking.subtitle', {
          province: ranking.provinceName,
          day: documentDayOf(ranking.today),
        }),
        imageUrl: `/api/v1/public/programmes/${programmeId}/ranking.svg?lang=${page.locale}`,
      },
      { title },
    );
  }
}
