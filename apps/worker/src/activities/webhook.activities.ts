import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { WEBHOOK_HEADERS, WEBHOOK_SOURCE_EVENTS, webhookEventsOf, webhookSignedContent } from '@dieu-hanh/domain';
import type { WebhookActivities, WebhookLane } from '@dieu-hanh/workflows';

/** How long a receiver may take to answer one delivery. */
const RECEIVER_TIMEOUT_MS = 10_000;

interface Subscription {
  id: string;
  event_types: string[];
  units: string[];
  created_at: Date;
}

interface SourceEvent {
  assignment_id: string;
  seq: number;
  type: string;
  at: Date;
  payload: { outcome?: string; entry?: { type: string } };
  plan_key: string;
  lead_unit: string;
  kind: string;
  title: string;
  requires_approval: boolean | null;
}

/** A read-model event that may become webhook events for one subscriber. */
interface Candidate {
  sourceKey: string;
  at: Date;
  types: string[];
  body: object;
}

/**
 * Outbound webhooks (issue 14). Events come from the read model (assignment_events and approvals,
 * written by the projection activities after each person's Update was answered) and plan launches;
 * each subscriber gets one delivery row per event (claimed once: unique per subscriber and event),
 * delivered as JSON signed with HMAC-SHA256 over `<timestamp>.<body>`.
 */
export class WebhookActivitiesImpl {
  constructor(private readonly db: DataSource) {}

  asActivities(): WebhookActivities {
    return {
      claimWebhookDeliveries: () => this.claim(),
      pendingWebhookDeliveries: (input) => this.pending(input.perLane),
      deliverWebhook: (input) => this.deliver(input.deliveryId),
      markWebhookFailed: (input) => this.markFailed(input.deliveryId, input.error),
    };
  }

  private async claim(): Promise<number> {
    const subscriptions: Subscription[] = await this.db.query(`SELECT id, event_types, units, created_at FROM webhook_subscriptions WHERE active`);
    let claimed = 0;
    for (const s of subscriptions) {
      const candidates = [...(await this.assignmentEvents(s)), ...(await this.decisions(s)), ...(await this.planLaunches(s))];
      // Claimed in the order they happened, so each lane delivers them in that order.
      candidates.sort((a, b) => a.at.getTime() - b.at.getTime() || a.sourceKey.localeCompare(b.sourceKey, 'en', { numeric: true }));
      for (const c of candidates) {
        const wanted = c.types.filter((t) => s.event_types.includes(t));
        for (const type of wanted) {
          const eventId = `${c.sourceKey}:${type}`;
          claimed += await this.insert(s.id, eventId, c.sourceKey, type, { id: eventId, type, occurredAt: c.at.toISOString(), ...c.body });
        }
        // A source event none of whose webhook events the subscriber wants is still marked seen.
        if (wanted.length === 0) {
          await this.db.query(
            `INSERT INTO webhook_deliveries (subscription_id, event_id, source_key, event_type, payload, status)
             VALUES ($1, $2, $2, 'none', '{}'::jsonb, 'skipped') ON CONFLICT DO NOTHING`,
            [s.id, c.sourceKey],
          );
        }
      }
    }
    return claimed;
  }

  /** Assignment events since the subscriber registered that it has not claimed yet. */
  private async assignmentEvents(s: Subscription): Promise<Candidate[]> {
    const events: SourceEvent[] = await this.db.query(
      `SELECT e.assignment_id, e.seq, e.type, e.at, e.payload, a.plan_key, a.lead_unit, a.kind, a.title,
              jsonb_array_length(COALESCE(a.spec->'approvalChain', '[]'::jsonb)) > 0 AS requires_approval
         FROM assignment_events e JOIN assignments a ON a.id = e.assignment_id
        WHERE e.type = ANY($1) AND e.at >= $2 AND (cardinality($3::text[]) = 0 OR a.lead_unit = ANY($3))
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.subscription_id = $4 AND d.source_key = e.assignment_id || ':' || e.seq)`,
      [WEBHOOK_SOURCE_EVENTS, s.created_at, s.units, s.id],
    );
    return events.map((e) => ({
      sourceKey: `${e.assignment_id}:${e.seq}`,
      at: new Date(e.at),
      types: webhookEventsOf({ type: e.type as never, ...e.payload }, e.requires_approval === true),
      body: { planKey: e.plan_key, assignment: { id: e.assignment_id, kind: e.kind, title: e.title, leadUnit: e.lead_unit }, data: e.payload },
    }));
  }

  /** Each approval step's decision (the approval's own record: who, for whom, the comment). */
  private async decisions(s: Subscription): Promise<Candidate[]> {
    if (!s.event_types.includes('decision')) return [];
    const rows: { approval_id: string; version: number; assignment_id: string; plan_key: string; lead_unit: string; kind: string; title: string; ord: string; rec: { at: string } }[] = await this.db.query(
      `SELECT p.id AS approval_id, p.version, p.assignment_id, p.plan_key, p.lead_unit, a.kind, a.title, d.ord, d.rec
         FROM approvals p JOIN assignments a ON a.id = p.assignment_id
        CROSS JOIN LATERAL jsonb_array_elements(p.state->'decisions') WITH ORDINALITY AS d(rec, ord)
        WHERE (d.rec->>'at')::timestamptz >= $1 AND (cardinality($2::text[]) = 0 OR p.lead_unit = ANY($2))
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries w WHERE w.subscription_id = $3 AND w.source_key = p.id || ':' || d.ord)`,
      [s.created_at, s.units, s.id],
    );
    return rows.map((r) => ({
      sourceKey: `${r.approval_id}:${r.ord}`,
      at: new Date(r.rec.at),
      types: ['decision'],
      body: {
        planKey: r.plan_key,
        assignment: { id: r.assignment_id, kind: r.kind, title: r.title, leadUnit: r.lead_unit },
        data: { approvalId: r.approval_id, version: r.version, ...r.rec },
      },
    }));
  }

  private async planLaunches(s: Subscription): Promise<Candidate[]> {
    if (!s.event_types.includes('plan.launched')) return [];
    const plans: { id: string; key: string; title: string; launched_at: Date; office: string }[] = await this.db.query(
      `SELECT id, key, title, launched_at, definition->'plan'->>'standingOffice' AS office FROM plan_versions p
        WHERE launched_at >= $1 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.subscription_id = $2 AND d.source_key = 'plan:' || p.id)`,
      [s.created_at, s.id],
    );
    return plans
      .filter((p) => s.units.length === 0 || s.units.includes(p.office))
      .map((p) => ({ sourceKey: `plan:${p.id}`, at: new Date(p.launched_at), types: ['plan.launched'], body: { planKey: p.key, data: { title: p.title } } }));
  }

  private async insert(subscriptionId: string, eventId: string, sourceKey: string, type: string, payload: object): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, source_key, event_type, payload) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subscription_id, event_id) DO NOTHING RETURNING id`,
      [subscriptionId, eventId, sourceKey, type, JSON.stringify(payload)],
    );
    return rows.length;
  }

  private async pending(perLane: number): Promise<WebhookLane[]> {
    const rows: { subscription_id: string; ids: string[] }[] = await this.db.query(
      `SELECT d.subscription_id, (array_agg(d.id::text ORDER BY d.id))[1:$1] AS ids
         FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
        WHERE d.status = 'pending' AND s.active GROUP BY d.subscription_id`,
      [perLane],
    );
    return rows.map((r) => ({ subscriptionId: r.subscription_id, deliveryIds: r.ids }));
  }

  private async deliver(deliveryId: string): Promise<void> {
    const [row]: { status: string; event_id: string; event_type: string; payload: unknown; url: string; secret: string; active: boolean }[] = await this.db.query(
      `SELECT d.status, d.event_id, d.event_type, d.payload, s.url, s.secret, s.active
         FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE d.id = $1`,
      [deliveryId],
    );
    if (!row || row.status !== 'pending') return;
    if (!row.active) {
      await this.db.query(`UPDATE webhook_deliveries SET status = 'cancelled' WHERE id = $1`, [deliveryId]);
      return;
    }
    const body = JSON.stringify(row.payload);
    // Signed at each attempt: the timestamp is when it was sent, so the receiver's replay window holds for retries too.
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', row.secret).update(webhookSignedContent(timestamp, body)).digest('hex');
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(row.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(RECEIVER_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'dieu-hanh-webhooks/1',
          [WEBHOOK_HEADERS.event]: row.event_type,
          [WEBHOOK_HEADERS.delivery]: row.event_id,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: `v1=${signature}`,
        },
        body,
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    const ok = status !== null && status >= 200 && status < 300;
    await this.db.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3, last_attempt_at = now(),
         status = CASE WHEN $4 THEN 'delivered' ELSE status END, delivered_at = CASE WHEN $4 THEN now() ELSE delivered_at END
       WHERE id = $1`,
      [deliveryId, status, ok ? null : (error ?? `the receiver answered ${status}`), ok],
    );
    if (!ok) throw ApplicationFailure.retryable(error ?? `the receiver answered ${status}`, 'WEBHOOK_NOT_DELIVERED');
  }

  private async markFailed(deliveryId: string, error: string): Promise<void> {
    await this.db.query(`UPDATE webhook_deliveries SET status = 'failed', last_error = $2 WHERE id = $1 AND status = 'pending'`, [deliveryId, error.slice(0, 1000)]);
  }
}
