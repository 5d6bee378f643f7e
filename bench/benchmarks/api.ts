import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { hash } from '@node-rs/argon2';
import { ProjectionActivities } from '../../apps/worker/src/activities/projection.activities';
import { foldAssignment } from '@dieu-hanh/domain/assignment';
import type { BenchContext } from '../support/context';
import { startApiProcess } from '../support/processes';
import { bySize, percentile, progress, type BenchResult, type BenchSize, type Cell } from '../support/report';
import { ownSeedPlan } from '../../test/support/seed-plan';

const PLANS = 20;
const EVENTS_PER_ASSIGNMENT = 10;

/** The read model at volume: the seed plan's assignments copied across PLANS plans, EVENTS_PER_ASSIGNMENT events each. */
export async function seedReadModel(ctx: BenchContext, assignments: number) {
  const seed = ownSeedPlan('API');
  const key = `${seed.plan.plan.code}@v1`;
  const [{ id: planId }] = (await ctx.db.query(
    `INSERT INTO plan_versions (code, version, key, number, title, fingerprint, definition, imported_by) VALUES ($1, 1, $2, $3, $4, $5, $6, 'bench') RETURNING id`,
    [seed.plan.plan.code, key, seed.plan.plan.number, seed.plan.plan.title, randomUUID(), JSON.stringify(seed.plan)],
  )) as { id: string }[];
  // The other plans' versions, as an import would have left them (pages name units from their plan).
  await ctx.db.query(
    `INSERT INTO plan_versions (code, version, key, number, title, fingerprint, definition, imported_by)
     SELECT 'BENCH-' || g, 1, 'BENCH-' || g || '@v1', p.number || '-' || g, p.title, gen_random_uuid()::text, p.definition, 'bench' FROM plan_versions p, generate_series(1, ${PLANS - 1}) g WHERE p.id = $1`,
    [planId],
  );
  // Real rows first (what the worker writes), then copies of those (never of copies) by SQL.
  const specs = seed.specsFor(key).filter((s) => s.kind !== 'monthly-report');
  const projection = new ProjectionActivities(ctx.db);
  for (const spec of specs) {
    const state = foldAssignment(spec, [{ type: 'opened', at: new Date().toISOString(), deadline: spec.deadline, schedule: spec.schedule }]);
    await projection.projectAssignment({ spec, state, events: [], firstSeq: 1 });
  }
  const copies = Math.max(1, Math.ceil(assignments / specs.length) - 1);
  const bar = progress('api (seeding the read model)', copies);
  for (let from = 1; from <= copies; from += 50) {
    const to = Math.min(copies, from + 49);
    // Copy g goes to plan g % PLANS (plan 0 is the seed plan's own key, so its matrix grows with the volume),
    // lifecycles and due dates spread so filters and sorting have work to do.
    await ctx.db.query(
      `INSERT INTO assignments (id, plan_key, kind, task_codes, lead_unit, coordinating_units, title, lifecycle, nominal_deadline,
         effective_deadline, due_at, original_due_at, escalation_level, submission_count, approval_id, first_submitted_at, completed_at, seq, spec, state, status_settled, updated_at)
       SELECT a.id || ':c' || g, CASE WHEN g % ${PLANS} = 0 THEN a.plan_key ELSE 'BENCH-' || (g % ${PLANS}) || '@v1' END, a.kind, a.task_codes, a.lead_unit,
         a.coordinating_units, a.title, c.lifecycle, a.nominal_deadline,
         a.effective_deadline, a.due_at + (g % 400) * interval '1 day', a.original_due_at, (g + length(a.id)) % 3, 0, NULL, NULL, NULL, 1, a.spec, a.state,
         -- The settled status the projection would write with that lifecycle (open: null, the clock decides).
         CASE c.lifecycle WHEN 'done' THEN (ARRAY['done-on-time','done-late'])[1 + g % 2] WHEN 'awaiting-approval' THEN (ARRAY['not-due','overdue'])[1 + g % 2] END,
         now() - g * interval '1 minute'
       FROM assignments a, generate_series($2::int, $3::int) g,
         LATERAL (SELECT (ARRAY['open','open','open','awaiting-approval','done'])[1 + (g + length(a.id)) % 5] AS lifecycle) c
       WHERE a.plan_key = $1 AND a.id NOT LIKE '%:c%'`,
      [key, from, to],
    );
    bar.tick(to - from + 1);
  }
  bar.done();
  await ctx.db.query(
    `INSERT INTO assignment_events (assignment_id, seq, type, at, payload)
     SELECT a.id, 100 + s, 'timer-fired', a.updated_at + s * interval '1 hour', jsonb_build_object('index', s) FROM assignments a, generate_series(1, ${EVENTS_PER_ASSIGNMENT}) s`,
  );
  // A bulk load leaves the visibility map empty until autovacuum passes (PostgreSQL 13+ vacuums
  // insert-only tables too): vacuum now, as a read model in service would be, so counts can be index-only.
  await ctx.db.query('VACUUM ANALYZE assignments');
  await ctx.db.query('VACUUM ANALYZE assignment_events');
  const [{ n }] = (await ctx.db.query(`SELECT count(*)::int AS n FROM assignments`)) as { n: number }[];
  const [{ e }] = (await ctx.db.query(`SELECT count(*)::int AS e FROM assignment_events`)) as { e: number }[];
  const [{ unit }] = (await ctx.db.query(`SELECT lead_unit AS unit FROM assignments GROUP BY lead_unit ORDER BY count(*) DESC LIMIT 1`)) as { unit: string }[];
  const [{ m }] = (await ctx.db.query(`SELECT count(*)::int AS m FROM assignments WHERE plan_key = $1`, [key])) as { m: number }[];
  return { planId, key, assignments: n, events: e, unit, matrixRows: m };
}

async function user(ctx: BenchContext, username: string, unit: string, roles: string[]) {
  await ctx.db.query(`INSERT INTO users (username, display_name, password_hash, unit_code, roles) VALUES ($1, $1, $2, $3, $4)`, [username, await hash('bench-password-123'), unit, roles]);
}

/** 20 clients for `seconds`; every response's time recorded (autocannon's own table has no p95). */
async function load(url: string, token: string, seconds: number, connections: number) {
  const times: number[] = [];
  let n = 0;
  let done!: (r: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>((resolve) => (done = resolve));
  const instance = autocannon(
    {
      url,
      connections,
      duration: seconds,
      headers: { authorization: `Bearer ${token}` },
      // One address per request: the per-address throttle is for people, not for this load.
      requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n++ & 255}` } }) }],
    },
    (err, result) => (err ? done({ ...result, errors: 1 } as autocannon.Result) : done(result)),
  );
  instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  const result = await finished;
  return { times, non2xx: result.non2xx, errors: result.errors, rps: result.requests.average };
}

/** EXPLAIN ANALYZE of the SQL behind a route: the plan's top nodes and its execution time. */
async function explain(ctx: BenchContext, sql: string, params: unknown[]) {
  const [{ 'QUERY PLAN': plan }] = (await ctx.db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)) as { 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }[];
  const nodes: string[] = [];
  const walk = (p: PlanNode) => {
    nodes.push(`${p['Node Type']}${p['Index Name'] ? ` ${p['Index Name']}` : p['Relation Name'] ? ` on ${p['Relation Name']}` : ''}`);
    p.Plans?.forEach(walk);
  };
  walk(plan[0].Plan);
  return { ms: plan[0]['Execution Time'], nodes: nodes.filter((x) => /Scan|Sort/.test(x)).join(', ') };
}
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/**
 * Target 6: with many assignments and events in the read model, the inbox (web start page),
 * the filtered, paged assignment list and the plan matrix under 20 concurrent clients.
 */
export async function apiBenchmark(ctx: BenchContext, size: BenchSize): Promise<BenchResult> {
  const volume = bySize(size, { small: 2_000, medium: 20_000, full: 100_000 });
  const seconds = bySize(size, { small: 1, medium: 8, full: 15 });
  const alone = bySize(size, { small: 3, medium: 20, full: 20 });
  const connections = 20;
  const seeded = await seedReadModel(ctx, volume);
  await user(ctx, 'bench-office', 'VP-TU', ['standing-office']);
  await user(ctx, 'bench-unit', seeded.unit, ['drafter', 'unit-head']);
  const api = await startApiProcess(ctx, { TRUST_PROXY: 'loopback', SESSION_SECRET: randomUUID() + randomUUID() });
  try {
    const login = async (username: string) => {
      const res = await fetch(`${api.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'bench-password-123' }) });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    };
    const office = await login('bench-office');
    const unit = await login('bench-unit');
    const routes = [
      { name: 'inbox (GET /, unit head)', path: '/', token: unit },
      { name: 'list: plan + open, page 3 of 50', path: `/api/assignments?plan=${encodeURIComponent('BENCH-3@v1')}&lifecycle=open&page=3&pageSize=50`, token: office },
      { name: 'list: unit, overdue, by update time', path: `/api/assignments?unit=${seeded.unit}&overdue=true&sort=-updatedAt&pageSize=50`, token: office },
      { name: `matrix (GET /api/plans/:id/matrix, ${seeded.matrixRows} assignments)`, path: `/api/plans/${seeded.planId}/matrix`, token: office },
    ];
    const rows: Cell[][] = [];
    const figures: Record<string, unknown>[] = [];
    for (const route of routes) {
      const check = await fetch(`${api.baseUrl}${route.path}`, { headers: { authorization: `Bearer ${route.token}` } });
      if (check.status !== 200) throw new Error(`${route.path}: ${check.status} ${(await check.text()).slice(0, 300)}`);
      // One client first: the time of a request alone, against which the 20 clients' queueing shows.
      const single: number[] = [];
      for (let i = 0; i < alone; i++) {
        const t0 = performance.now();
        await (await fetch(`${api.baseUrl}${route.path}`, { headers: { authorization: `Bearer ${route.token}` } })).arrayBuffer();
        single.push(performance.now() - t0);
      }
      process.stderr.write(`  api ${route.name}: ${seconds} s × ${connections} clients\n`);
      const r = await load(`${api.baseUrl}${route.path}`, route.token, seconds, connections);
      const p95 = r.times.length ? percentile(r.times, 95) : Infinity;
      rows.push([route.name, percentile(single, 50), r.times.length, r.rps, percentile(r.times, 50), p95, percentile(r.times, 99), r.non2xx + r.errors, p95 < 50 ? 'met' : r.times.length ? `missed (${(p95 / 50).toFixed(1)}×)` : `missed (none answered within ${seconds} s)`]);
      figures.push({ route: route.name, aloneP50: percentile(single, 50), requests: r.times.length, rps: r.rps, p50: percentile(r.times, 50), p95, p99: percentile(r.times, 99), non2xx: r.non2xx, errors: r.errors });
    }
    const apiMb = api.rssMb();
    const plans = [
      ['list: plan + open, page 3', `SELECT id FROM assignments a WHERE a.plan_key = $1 AND a.lifecycle = 'open' ORDER BY a.due_at ASC, a.id ASC LIMIT 50 OFFSET 100`, ['BENCH-3@v1']],
      ['list: count of that filter', `SELECT count(*) FROM assignments a WHERE a.plan_key = $1 AND a.lifecycle = 'open'`, ['BENCH-3@v1']],
      // The list's overdue filter as the API writes it (libs/domain statusSqlFilter): settled overdue, or open and past due.
      ['list: unit, overdue, by update time', `SELECT id FROM assignments a WHERE a.lead_unit = $1 AND (a.status_settled IN ('overdue') OR (a.status_settled IS NULL AND a.due_at <= now())) ORDER BY a.updated_at DESC, a.id ASC LIMIT 50`, [seeded.unit]],
      ['list: count of unit overdue', `SELECT count(*) FROM assignments a WHERE a.lead_unit = $1 AND (a.status_settled IN ('overdue') OR (a.status_settled IS NULL AND a.due_at <= now()))`, [seeded.unit]],
      ['inbox: to do, page 1', `SELECT id FROM assignments a WHERE a.lead_unit = $1 AND a.lifecycle = 'open' AND NOT (a.lifecycle = 'open' AND a.sent_back) ORDER BY a.plan_key, a.due_at ASC, a.id ASC LIMIT 50`, [seeded.unit]],
      ['inbox: to do, count', `SELECT count(*) FROM assignments a WHERE a.lead_unit = $1 AND a.lifecycle = 'open' AND NOT (a.lifecycle = 'open' AND a.sent_back)`, [seeded.unit]],
      [
        'inbox: comment requests, count',
        `SELECT count(*) FROM assignments a WHERE a.lifecycle IN ('open', 'awaiting-approval') AND a.state->'waits' @> jsonb_build_array(jsonb_build_object('kind', 'coordination-comment', 'unit', $1::text))
           AND EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(a.state->'waits', '[]'::jsonb)) w WHERE w->>'kind' = 'coordination-comment' AND w->>'unit' = $1 AND w->>'closedAt' IS NULL)`,
        [seeded.unit],
      ],
      ['matrix: a plan', `SELECT id, kind, task_codes, lead_unit, effective_deadline, due_at, escalation_level, status_settled FROM assignments a WHERE a.plan_key = $1 ORDER BY a.lead_unit ASC, a.id ASC`, [seeded.key]],
      ['assignment events', `SELECT * FROM assignment_events WHERE assignment_id = $1 ORDER BY seq`, [`${seeded.key}`]],
    ] as const;
    const explained: Cell[][] = [];
    for (const [name, sql, params] of plans) {
      const e = await explain(ctx, sql, [...params]);
      explained.push([name, e.ms, e.nodes]);
    }
    return {
      figures: { seeded, connections, seconds, routes: figures, apiMb, explain: explained },
      tables: [
        {
          title: `API at volume: ${seeded.assignments} assignments, ${seeded.events} events; ${connections} concurrent clients, ${seconds} s per route`,
          columns: ['route', '1 client p50 ms', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'non-2xx', 'p95 < 50 ms'],
          rows,
          notes: [`API RSS after the load: ${apiMb.toFixed(0)} MB. Target: p95 < 50 ms for each route.`],
        },
        { title: 'Query plans (EXPLAIN ANALYZE) of the SQL behind those routes', columns: ['query', 'ms', 'scans and sorts'], rows: explained },
      ],
    };
  } finally {
    await api.stop();
  }
}
