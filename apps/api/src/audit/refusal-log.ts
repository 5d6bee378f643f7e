import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { AuditRefusalsStore } from '@dieu-hanh/persistence';
import { findUnsafeCharacter } from '@dieu-hanh/domain';
import type { CurrentUser } from '../auth/current-user';
import { AppError, httpStatusOf } from '../common/app-error';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Writes every refused attempt to change something (wrong person or unit, stale version,
 * wrong step, a closed approval, an auditor trying to write) to audit_refusals: Temporal
 * keeps no trace of an Update its validator rejected. Called by the error filters.
 */
@Injectable()
export class RefusalLog {
  private readonly logger = new Logger('audit');
  private readonly store: AuditRefusalsStore;
  /** Refusals this process could not write after every attempt: shown by /health, never silent. */
  private lost = 0;
  private lastLostAt?: Date;

  /**
   * Waits between attempts to write one refusal (the database may be away for a moment). A write
   * whose answer was lost after it committed is written again: a refusal may then show twice,
   * never not at all.
   */
  retryDelaysMs: readonly number[] = [500, 2_000, 8_000];

  constructor(@Inject(DataSource) private readonly db: DataSource) {
    this.store = new AuditRefusalsStore(db);
  }

  /** How many refused attempts this process could not record (/health `refusals`). */
  unrecorded(): { count: number; lastAt?: Date } {
    return { count: this.lost, lastAt: this.lastLostAt };
  }

  /**
   * A refusal a web form showed inside its page (the error never reached the error filters):
   * recorded the same way, against the page's own workflow.
   */
  noteInPage(req: Request, err: unknown, workflowId: string): void {
    if (!(err instanceof AppError)) return;
    this.note(req, { statusCode: httpStatusOf(err.code), code: err.code, reason: err.reason, message: err.message }, workflowId);
  }

  /** Records the refusal if it is one; never throws (the person still gets their answer). */
  note(req: Request, body: { statusCode: number; code: string; reason?: string; message: string }, workflowId?: string): void {
    const user = (req as Request & { user?: CurrentUser }).user;
    if (!user || READS.has(req.method) || !isRefusal(body)) return;
    const id = workflowId ?? (req.params as Record<string, string> | undefined)?.id;
    const path = req.originalUrl ?? req.path;
    const write = async () =>
      this.store.record({
        userId: user.userId,
        name: user.name,
        unit: user.unit,
        roles: user.roles,
        method: req.method,
        path,
        workflowId: await this.workflowOf(req, id),
        status: body.statusCode,
        code: body.reason ?? body.code,
        reason: body.message,
      });
    void this.withRetries(write).catch((err: unknown) => {
      this.lost += 1;
      this.lastLostAt = new Date();
      this.logger.error({ err, method: req.method, path, user: user.userId }, 'could not record a refused attempt');
    });
  }

  /** One write, tried again after each delay; the person's answer never waits for it. */
  private async withRetries(write: () => Promise<unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await write();
        return;
      } catch (err) {
        const delay = this.retryDelaysMs[attempt];
        if (delay === undefined) throw err;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /**
   * The workflow a refused request aimed at. Business-key workflow ids contain ':'
   * (drafting:…, approval:…); an extension decision names its request, whose assignment
   * is looked up so the refusal shows on that assignment's timeline.
   */
  private async workflowOf(req: Request, id: string | undefined): Promise<string | null> {
    // An id with a control character or a lone surrogate names no workflow (the input guard refused it for that),
    // and PostgreSQL would refuse to store or compare it: the refusal is recorded without a target.
    if (!id || findUnsafeCharacter(id, { multiline: false })) return null;
    if (id.includes(':')) return id;
    if (!/^\/api\/extension-requests\/[^/]+\/decision$/.test(req.path)) return null;
    const [row] = (await this.db.query(`SELECT id FROM assignments WHERE state->'extensions' @> $1::jsonb LIMIT 1`, [
      JSON.stringify([{ requestId: id }]),
    ])) as { id: string }[];
    return row?.id ?? null;
  }
}

/**
 * Whether an error answer is a refusal the audit log keeps: 403 and 409 always; a 400 only when
 * it names its reason (INVALID, MUST_CITE, UNSAFE_CHARACTER …). Exported for the tests that check
 * no refusal goes missing.
 */
export const isRefusal = (b: { statusCode: number; reason?: string }) =>
  b.statusCode === 403 || b.statusCode === 409 || (b.statusCode === 400 && b.reason !== undefined && /^[A-Z_]+$/.test(b.reason));
