import { Inject, Injectable } from '@nestjs/common';
import { pickLocalized, type Locale, byVietnameseName } from '../../infrastructure/i18n/locales.js';
import { vietnamDay } from '../../infrastructure/i18n/vietnam-time.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { ApplicationsService } from '../certification/applications.service.js';
import { APPLICATION_STATUSES } from '../certification/certification.types.js';
import type { EligibilitySnapshot } from '../certification/eligibility.js';
import { ProgrammesService } from '../certification/programmes.service.js';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { AmbassadorRegistryService } from './ambassador-registry.service.js';
import { toCsv, type CsvColumn } from './csv.js';

/** Rows fetched per call while building an export (the services page their lists). */
const BATCH = 100;

/** How the reader sees words: translated headers and values, names in their languages. */
export interface ExportReader {
  who: Principal;
  t: (key: string, params?: Record<string, string | number>) => string;
  chain: Locale[];
}

type Ambassador = Awaited<ReturnType<AmbassadorRegistryService['ambassadors']>>['items'][number];

/**
 * The coordination team's spreadsheets (CSV with a BOM, for Excel): candidates, active
 * ambassadors and village coverage, over the reader's area or one locality inside it. Headers
 * are the reader's language; cells that a spreadsheet would run as formulas are defused.
 */
@Injectable()
export class ExportsService {
  constructor(
    @Inject(ApplicationsService) private readonly applications: ApplicationsService,
    @Inject(ProgrammesService) private readonly programmes: ProgrammesService,
    @Inject(AmbassadorRegistryService) private readonly registry: AmbassadorRegistryService,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(AreaScope) private readonly area: AreaScope,
  ) {}

  /** Applications in every status, with the decision and the evidence figures. */
  async candidates({ who, t, chain }: ExportReader, localityId?: string): Promise<string> {
    const rows = [];
    for (const status of APPLICATION_STATUSES) {
      for (let page = 1; ; page++) {
        const batch = await this.applications.queue(who, { status, page, pageSize: BATCH, localityId });
        rows.push(...batch.items);
        if (page * BATCH >= batch.total || batch.items.length === 0) break;
      }
    }
    const [places, programmes] = await Promise.all([
      this.geography.villagePlaces(rows.map((a) => a.villageId)),
      Promise.all([...new Set(rows.map((a) => a.programmeId))].map((id) => this.programmes.get(id))),
    ]);
    const programmeNames = new Map(programmes.map((p) => [p.id, pickLocalized(p.names, chain)?.text]));
    type Row = (typeof rows)[number];
    const snapshot = (a: Row) => a.eligibility as EligibilitySnapshot | null;
    const columns: CsvColumn<Row>[] = [
      { header: t('coordinate.col.candidate'), value: (a) => a.candidateName },
      { header: t('coordinate.col.village'), value: (a) => places.get(a.villageId)?.village },
      { header: t('coordinate.col.commune'), value: (a) => places.get(a.villageId)?.commune },
      { header: t('coordinate.col.programme'), value: (a) => programmeNames.get(a.programmeId) },
      { header: t('coordinate.col.kind'), value: (a) => t(`coordinate.kind.${a.kind}`) },
      { header: t('coordinate.col.status'), value: (a) => t(`coordinate.status.${a.status}`) },
      { header: t('coordinate.col.submitted'), value: (a) => vietnamDay(new Date(a.createdAt)) },
      { header: t('coordinate.col.decided'), value: (a) => a.decidedAt && vietnamDay(new Date(a.decidedAt)) },
      { header: t('coordinate.col.reason'), value: (a) => a.decisionReason },
      { header: t('coordinate.col.quizAverage'), value: (a) => snapshot(a)?.quizAverage.actual },
      { header: t('coordinate.col.households'), value: (a) => snapshot(a)?.households.actual },
    ];
    return toCsv(rows, columns);
  }

  /** Active ambassadors (valid certificate) serving villages of the area, by village. */
  async ambassadors({ who, t }: ExportReader, localityId?: string): Promise<string> {
    const rows = await this.allAmbassadors(who, localityId);
    const places = await this.geography.villagePlaces(rows.map((a) => a.villageId));
    const columns: CsvColumn<Ambassador>[] = [
      { header: t('coordinate.col.ambassador'), value: (a) => a.holderName },
      { header: t('coordinate.col.village'), value: (a) => places.get(a.villageId)?.village },
      { header: t('coordinate.col.commune'), value: (a) => places.get(a.villageId)?.commune },
      { header: t('coordinate.col.serial'), value: (a) => a.serial },
      { header: t('coordinate.col.issued'), value: (a) => vietnamDay(new Date(a.issuedAt)) },
      { header: t('coordinate.col.validUntil'), value: (a) => vietnamDay(new Date(a.expiresAt)) },
    ];
    return toCsv(rows, columns);
  }

  /** One row per village: its commune, how many active ambassadors serve it, covered or not. */
  async coverage({ who, t }: ExportReader, localityId?: string): Promise<string> {
    const localityIds = await this.localities(who, localityId);
    const holders = new Map<string, Set<string>>();
    for (const id of localityIds) {
      for (const v of (await this.registry.coverage(who, id)).uncovered) holders.set(v.id, new Set());
    }
    for (const a of await this.allAmbassadors(who, localityId)) {
      holders.set(a.villageId, (holders.get(a.villageId) ?? new Set()).add(a.holderId));
    }
    const places = await this.geography.villagePlaces([...holders.keys()]);
    const rows = [...holders.entries()]
      .map(([id, h]) => ({ ...places.get(id), ambassadors: h.size }))
      .sort(
        (a, b) =>
          byVietnameseName(String(a.commune), String(b.commune)) ||
          byVietnameseName(String(a.village), String(b.village)),
      );
    type Row = (typeof rows)[number];
    const columns: CsvColumn<Row>[] = [
      { header: t('coordinate.col.commune'), value: (r) => r.commune },
      { header: t('coordinate.col.village'), value: (r) => r.village },
      { header: t('coordinate.col.activeAmbassadors'), value: (r) => r.ambassadors },
      {
        header: t('coordinate.col.covered'),
        value: (r) => t(r.ambassadors > 0 ? 'coordinate.yes' : 'coordinate.no'),
      },
    ];
    return toCsv(rows, columns);
  }

  /** The locality asked for, else every root of the reader's area. */
  private async localities(who: Principal, localityId?: string): Promise<string[]> {
    return localityId ? [localityId] : (await this.area.roots(who)).map((r) => r.id);
  }

  /** Every active ambassador of the area (or of `localityId` inside it), each certificate once. */
  private async allAmbassadors(who: Principal, localityId?: string): Promise<Ambassador[]> {
    const seen = new Map<string, Ambassador>();
    for (const id of await this.localities(who, localityId)) {
      for (let page = 1; ; page++) {
        const batch = await this.registry.ambassadors(who, id, page, BATCH);
        for (const a of batch.items) seen.set(a.certificateId, a);
        if (page * BATCH >= batch.total || batch.items.length === 0) break;
      }
    }
    return [...seen.values()];
  }
}
