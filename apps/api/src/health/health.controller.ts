import { Controller, Get, Inject, Logger, Res } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AppConfig } from '../infra/infra.module';
import { Public } from '../auth/current-user';
import { ApiNoToken } from '../common/api-contract';
import { RefusalLog } from '../audit/refusal-log';
import { HealthDto } from './health.responses';

/** Status words only: the reason a check failed goes to the log, never to the public answer. */
type Check = { status: 'up' | 'down' };

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('health');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Client) private readonly temporal: Client,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(RefusalLog) private readonly refusals: RefusalLog,
  ) {}

  /** 200 when the database and Temporal both answer, else 503 with what is down. */
  @Public()
  @Get()
  @ApiOkResponse({ type: HealthDto, description: 'API, database and Temporal are up' })
  @ApiNoToken()
  @ApiResponse({ status: 503, type: HealthDto, description: 'The database or Temporal does not answer: the same body, naming what is down' })
  async health(@Res() res: Response): Promise<void> {
    const [database, temporal, notices] = await Promise.all([this.checkDatabase(), this.checkTemporal(), this.checkNotices()]);
    const ok = database.status === 'up' && temporal.status === 'up';
    res.status(ok ? 200 : 503).json({ status: ok ? 'up' : 'down', api: { status: 'up' }, database, temporal, notices, refusals: this.checkRefusals() });
  }

  /**
   * Refused attempts this API process could not write to the audit log after its retries: the
   * service is up, but the audit trail has a gap an operator must look at (the app log names each).
   */
  private checkRefusals(): { status: 'up' | 'unrecorded'; unrecorded?: number; lastAt?: string } {
    const { count, lastAt } = this.refusals.unrecorded();
    return count > 0 ? { status: 'unrecorded', unrecorded: count, lastAt: lastAt?.toISOString() } : { status: 'up' };
  }

  /**
   * Notices whose e-mail can never go out (refused for good by the SMTP server, or nobody in
   * the unit has an address): the service is up, but the Standing Office must look
   * (/notifications/undeliverable). A count, no names.
   */
  private async checkNotices(): Promise<{ status: 'up' | 'undeliverable' | 'down'; undeliverable?: number }> {
    try {
      const [{ n }] = (await this.db.query(`SELECT count(*)::int AS n FROM notifications WHERE email_failed_at IS NOT NULL`)) as { n: number }[];
      return n > 0 ? { status: 'undeliverable', undeliverable: n } : { status: 'up' };
    } catch (err) {
      this.logger.error({ check: 'notices', err: (err as Error).message }, 'health check failed');
      return { status: 'down' };
    }
  }

  private async checkDatabase(): Promise<Check> {
    try {
      await this.db.query('SELECT 1');
      return { status: 'up' };
    } catch (err) {
      this.logger.error({ check: 'database', err: (err as Error).message }, 'health check failed');
      return { status: 'down' };
    }
  }

  private async checkTemporal(): Promise<Check> {
    try {
      await this.temporal.connection.withDeadline(Date.now() + 3000, () =>
        this.temporal.connection.workflowService.describeNamespace({ namespace: this.config.values.TEMPORAL_NAMESPACE }),
      );
      return { status: 'up' };
    } catch (err) {
      this.logger.error({ check: 'temporal', namespace: this.config.values.TEMPORAL_NAMESPACE, err: (err as Error).message }, 'health check failed');
      return { status: 'down' };
    }
  }
}
