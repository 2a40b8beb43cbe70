import { Controller, Get, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators.js';
import { Metrics } from '../metrics/metrics.js';
import { QueueService } from '../queue/queue.service.js';
import { StorageService } from '../storage/storage.service.js';
import { readinessNotes } from './readiness-notes.js';

class CheckResult {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiProperty() latencyMs!: number;
  @ApiProperty({ required: false }) error?: string;
}

class ReadinessNoteResponse {
  @ApiProperty({ example: 'ffmpeg' }) name!: string;
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ example: 'ffmpeg: system (ffmpeg), ffprobe: system (ffprobe)' }) detail!: string;
}

class ReadyResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({ type: CheckResult }) database!: CheckResult;
  @ApiProperty({ type: CheckResult, description: 'BullMQ backend (Redis or PostgreSQL)' })
  queue!: CheckResult;
  @ApiProperty({ type: CheckResult }) storage!: CheckResult;
  @ApiProperty({
    type: [ReadinessNoteResponse],
    description: 'Facts that do not make the process unready, e.g. which ffmpeg it would use',
  })
  notes!: ReadinessNoteResponse[];
}

const TIMEOUT_MS = 2_000;

async function check(probe: () => Promise<unknown>): Promise<CheckResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), TIMEOUT_MS))),
    ]);
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (e) {
    return { status: 'down', latencyMs: Date.now() - started, error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Readiness; liveness is answered before Nest (liveness.ts). */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(QueueService) private readonly queues: QueueService,
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(Metrics) metrics: Metrics,
  ) {
    // The same checks as /health/ready, for alerts that see what a load balancer sees.
    metrics.gauge(
      'dependency_up',
      'Whether each backing service answers (1) or not (0)',
      ['dependency'],
      async (gauge) => {
        const checks = await this.checks();
        for (const [dependency, result] of Object.entries(checks))
          gauge.set({ dependency }, result.status === 'up' ? 1 : 0);
      },
    );
  }

  private async checks() {
    const [database, queue, storage] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.queues.ping()),
      check(() => this.storage.ping()),
    ]);
    return { database, queue, storage };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Database, queue backend and storage all answer' })
  @ApiOkResponse({ type: ReadyResponse })
  @ApiServiceUnavailableResponse({ type: ReadyResponse })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadyResponse> {
    const { database, queue, storage } = await this.checks();
    const ok = [database, queue, storage].every((c) => c.status === 'up');
    void reply.status(ok ? 200 : 503).header('cache-control', 'no-store');
    return { status: ok ? 'ok' : 'unavailable', database, queue, storage, notes: readinessNotes() };
  }
}
