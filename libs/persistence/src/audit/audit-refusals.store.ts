import type { DataSource } from 'typeorm';

export interface RefusalRow {
  id: string;
  at: string;
  userId: string;
  name: string;
  unit: string;
  roles: string[];
  method: string;
  path: string;
  workflowId: string | null;
  status: number;
  code: string;
  reason: string;
}

export type NewRefusal = Omit<RefusalRow, 'id' | 'at'>;

/**
 * Refused attempts (wrong person, stale version, an auditor trying to write …):
 * Temporal keeps no trace of a rejected Update, so the API writes each one here.
 */
export class AuditRefusalsStore {
  constructor(private readonly db: DataSource) {}

  async record(r: NewRefusal): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_refusals (user_id, user_name, unit_code, roles, method, path, workflow_id, status, code, reason)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [r.userId, r.name, r.unit, r.roles, r.method, r.path.slice(0, 2000), r.workflowId, r.status, r.code, r.reason.slice(0, 4000)],
    );
  }

  /** Refusals about these workflows, or the latest `limit` of all when none given. */
  async list(options: { workflowIds?: string[]; limit?: number } = {}): Promise<RefusalRow[]> {
    const rows = (await (options.workflowIds
      ? this.db.query(`SELECT * FROM audit_refusals WHERE workflow_id = ANY($1::text[]) ORDER BY at, id`, [options.workflowIds])
      : this.db.query(`SELECT * FROM audit_refusals ORDER BY at DESC, id DESC LIMIT $1`, [options.limit ?? 200]))) as {
      id: string;
      at: Date;
      user_id: string;
      user_name: string;
      unit_code: string;
      roles: string[];
      method: string;
      path: string;
      workflow_id: string | null;
      status: number;
      code: string;
      reason: string;
    }[];
    return rows.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      userId: r.user_id,
      name: r.user_name,
      unit: r.unit_code,
      roles: r.roles,
      method: r.method,
      path: r.path,
      workflowId: r.workflow_id,
      status: r.status,
      code: r.code,
      reason: r.reason,
    }));
  }
}
