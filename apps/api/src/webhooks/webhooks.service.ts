import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource, Not } from 'typeorm';
import { WebhookDeliveryEntity, WebhookSubscriptionEntity } from '@dieu-hanh/persistence';
import { WORKFLOW_TYPES, webhookDispatcherId, webhookWakeSignal, type WebhookDispatcherInput } from '@dieu-hanh/workflows';
import { AppConfig } from '../infra/infra.module';
import { AppError, AppErrorCode } from '../common/app-error';
import type { CurrentUser } from '../auth/current-user';
import type { CreateWebhookDto, ListDeliveriesQuery, WebhookDeliveryDto, WebhookDto } from './webhook.dto';

const toDto = (s: WebhookSubscriptionEntity): WebhookDto => ({
  id: s.id,
  url: s.url,
  eventTypes: s.eventTypes,
  units: s.units,
  active: s.active,
  createdBy: s.createdBy,
  createdAt: s.createdAt.toISOString(),
});

/** Outbound webhooks (issue 14): subscribers an administrator registers, and their deliveries. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('webhooks');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Client) private readonly temporal: Client,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async create(user: CurrentUser, body: CreateWebhookDto): Promise<WebhookDto> {
    const repo = this.db.getRepository(WebhookSubscriptionEntity);
    const saved = await repo.save(repo.create({ url: body.url, secret: body.secret, eventTypes: [...new Set(body.eventTypes)], units: body.units ?? [], active: true, createdBy: user.username }));
    await this.wakeDispatcher();
    return toDto(saved);
  }

  async list(): Promise<WebhookDto[]> {
    return (await this.db.getRepository(WebhookSubscriptionEntity).find({ order: { createdAt: 'DESC' } })).map(toDto);
  }

  async disable(id: string): Promise<WebhookDto> {
    const repo = this.db.getRepository(WebhookSubscriptionEntity);
    const row = await repo.findOneBy({ id });
    if (!row) throw new AppError(AppErrorCode.NOT_FOUND, `no webhook ${id}`);
    row.active = false;
    const saved = await repo.save(row);
    await this.db.query(`UPDATE webhook_deliveries SET status = 'cancelled' WHERE subscription_id = $1 AND status = 'pending'`, [id]);
    return toDto(saved);
  }

  async deliveries(id: string, q: ListDeliveriesQuery) {
    if (!(await this.db.getRepository(WebhookSubscriptionEntity).existsBy({ id }))) throw new AppError(AppErrorCode.NOT_FOUND, `no webhook ${id}`);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const [rows, total] = await this.db.getRepository(WebhookDeliveryEntity).findAndCount({
      // 'skipped' rows only mark events the subscriber did not ask for.
      where: { subscriptionId: id, status: q.status ?? Not('skipped') },
      order: { id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    const items: WebhookDeliveryDto[] = rows.map((d) => ({
      id: String(d.id),
      eventId: d.eventId,
      eventType: d.eventType,
      status: d.status,
      attempts: d.attempts,
      lastStatus: d.lastStatus,
      lastError: d.lastError,
      createdAt: d.createdAt.toISOString(),
      lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      payload: d.payload as Record<string, unknown>,
    }));
    return { page, pageSize, total, items };
  }

  /** Starts the dispatcher workflow if it is not running, and makes it look at the log now. */
  private async wakeDispatcher(): Promise<void> {
    const c = this.config.values;
    const input: WebhookDispatcherInput = {
      pollSeconds: c.WEBHOOK_POLL_SECONDS,
      retry: { initialSeconds: c.WEBHOOK_RETRY_INITIAL_SECONDS, maximumSeconds: c.WEBHOOK_RETRY_MAX_SECONDS, maximumAttempts: c.WEBHOOK_MAX_ATTEMPTS },
    };
    try {
      await this.temporal.workflow.signalWithStart(WORKFLOW_TYPES.webhookDispatcher, {
        workflowId: webhookDispatcherId(c.TEMPORAL_TASK_QUEUE),
        taskQueue: c.TEMPORAL_TASK_QUEUE,
        args: [input],
        signal: webhookWakeSignal,
        signalArgs: [],
      });
    } catch (err) {
      // The subscriber is stored; the dispatcher starts with the next registration or wake.
      this.logger.error({ err: (err as Error).message }, 'could not start the webhook dispatcher');
      throw new AppError(AppErrorCode.UNAVAILABLE, 'the webhook is registered, but its dispatcher could not be started; register again shortly');
    }
  }
}
