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

  constructor(@Inject(DataSource) private readonly db: DataSource) {
    this.store = new AuditRefusalsStore(db);
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
    this.workflowOf(req, id)
      .then((target) =>
        this.store.record({
          userId: user.userId,
          name: user.name,
          unit: user.unit,
          roles: user.roles,
          method: req.method,
          path: req.originalUrl ?? req.path,
          workflowId: target,
          status: body.statusCode,
          code: body.reason ?? body.code,
          reason: body.message,
        }),
      )
      .catch((err: unknown) => this.logger.error({ err }, 'could not record a refused attempt'));
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
