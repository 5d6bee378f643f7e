import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AppConfig } from '../infra/infra.module';
import { Public } from '../auth/current-user';

type Check = { status: 'up' | 'down'; detail?: string };

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Client) private readonly temporal: Client,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** 200 when the database and Temporal both answer, else 503 with what is down. */
  @Public()
  @Get()
  @ApiOkResponse({ description: 'API, database and Temporal are up' })
  async health(@Res() res: Response): Promise<void> {
    const [database, temporal] = await Promise.all([this.checkDatabase(), this.checkTemporal()]);
    const ok = database.status === 'up' && temporal.status === 'up';
    res.status(ok ? 200 : 503).json({ status: ok ? 'up' : 'down', api: { status: 'up' }, database, temporal });
  }

  private async checkDatabase(): Promise<Check> {
    try {
      await this.db.query('SELECT 1');
      return { status: 'up' };
    } catch (err) {
      return { status: 'down', detail: (err as Error).message };
    }
  }

  private async checkTemporal(): Promise<Check> {
    try {
      await this.temporal.connection.withDeadline(Date.now() + 3000, () =>
        this.temporal.connection.workflowService.describeNamespace({ namespace: this.config.values.TEMPORAL_NAMESPACE }),
      );
      return { status: 'up', detail: `namespace ${this.config.values.TEMPORAL_NAMESPACE}` };
    } catch (err) {
      return { status: 'down', detail: (err as Error).message };
    }
  }
}
