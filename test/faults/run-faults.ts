/**
 * The fault suite (issue 11), on the production topology: Temporal Server persisted in a private
 * PostgreSQL cluster, the read model in the same cluster, two worker processes, the API process
 * and a real SMTP server. Puts 100+ assignments in flight at mixed stages, then, while people
 * keep acting through the API: SIGKILLs a worker, restarts Temporal, stops PostgreSQL, takes
 * SMTP down, restarts the API under retried requests, and sends hostile input. Afterwards it
 * reconciles every workflow with the read model and prints one table; exit 1 when a
 * must-be-zero figure is not zero.
 *
 *   npm run test:faults                      FAULTS_SIZE=small (CI, ~120 assignments, ≤ 8 min)
 *   FAULTS_SIZE=full npm run test:faults     ~180 assignments, minute-long outages
 *   FAULTS_KEEP=1                            keep the run folder (logs) even when all is well
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_PRELOAD_MODULES, WORKFLOW_TYPES, workflowsPath } from '@dieu-hanh/workflows';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { startTemporalServer, type TemporalServer } from '../../scripts/temporal-server/temporal-server';
import { ensureDatabase, migrate } from '../../scripts/stack/database';
import { freePort } from '../../scripts/stack/free-port';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { apiReady, appProcess, workerReady, type AppProcess } from './app-process';
import { faultPlan, type FaultsSize } from './fault-plan';
import { logIn, seedPeople, type People, type Person } from './people';
import { Driver, drive, succeeded, type LedgerEntry } from './actions';
import { checkLedger, checkMails, driftingWorkflows, reconcile } from './reconcile';
import { updatesThatWaited } from './update-waits';
import { checkAuthz, type AuthzCell } from './authz';
import { buildHostileCorpus, isRightRefusal, type HostileTarget, prepareHostileTarget, reserveForHostile, sendCorpus, HUNG_AFTER_MS, type HostileOutcome as CaseOutcome, type HostileReserve } from './hostile';
import { request } from './http-client';
import { failures, renderTable, type Figure } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const SIZE: FaultsSize = process.env.FAULTS_SIZE === 'full' ? 'full' : 'small';
const KNOBS = {
  small: { pgDownMs: 8_000, smtpDownMs: 20_000, temporalDownMs: 4_000, load: 3, settleMs: 90_000 },
  full: { pgDownMs: 30_000, smtpDownMs: 60_000, temporalDownMs: 15_000, load: 5, settleMs: 180_000 },
}[SIZE];
const NAMESPACE = 'dieu-hanh';
/** The phase that runs the load with no fault, to compare Update times with. */
const NO_FAULT = 'no fault (same load)';
/** The most the load may excuse: an Update answered later than this during a fault counts, whatever its history shows. */
const MAX_UPDATE_BOUND_MS = 3000;
const TASK_QUEUE = 'dieu-hanh';
/** Where the authorization test writes how many role × endpoint cells it checked. */
const AUTHZ_CELLS_FILE = path.join(ROOT, 'test-artifacts', 'authz-cells.json');

const t0 = Date.now();
const say = (msg: string) => process.stdout.write(`[faults +${((Date.now() - t0) / 1000).toFixed(0).padStart(3)}s] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface FaultRecord {
  name: string;
  startedAt: number;
  endedAt: number;
  note: string;
}

async function main(): Promise<number> {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'dieu-hanh-faults-'));
  say(`size ${SIZE}; logs in ${runDir}`);
  const cleanups: (() => Promise<unknown>)[] = [];
  let ok = false;
  try {
    ok = await suite(runDir, cleanups);
    return ok ? 0 : 1;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    if (ok && !process.env.FAULTS_KEEP) rmSync(runDir, { recursive: true, force: true });
    else say(`logs kept in ${runDir}`);
  }
}

async function suite(runDir: string, cleanups: (() => Promise<unknown>)[]): Promise<boolean> {
  // --- The topology -------------------------------------------------------------------------
  const pg: PostgresCluster = await startPostgresCluster(await freePort());
  cleanups.push(() => pg.destroy());
  say(`PostgreSQL cluster on ${pg.port} (${pg.dataDir})`);

  const temporal: TemporalServer = await startTemporalServer({
    dir: path.join(runDir, 'temporal'),
    postgres: { host: pg.host, port: pg.port, user: pg.user },
    namespace: NAMESPACE,
  });
  cleanups.push(() => temporal.stop());
  say(`Temporal Server ${temporal.address} on PostgreSQL, namespace ${NAMESPACE} with search attributes`);

  const databaseUrl = await ensureDatabase(pg.adminUrl, 'dieu_hanh');
  await migrate(databaseUrl);
  const smtp: TestSmtp = await startSmtp({ port: await freePort() });
  cleanups.push(() => smtp.close());

  const connection = await Connection.connect({ address: temporal.address });
  cleanups.push(() => connection.close());
  const client = () => new Client({ connection, namespace: NAMESPACE });

  // Bundle the workflows once: each worker (and each restart) loads the file instead of
  // bundling for a minute on a loaded 2-core machine.
  const bundleStarted = Date.now();
  const bundlePath = path.join(runDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, (await bundleWorkflowCode({ workflowsPath, preloadModules: WORKFLOW_PRELOAD_MODULES, logger: new DefaultLogger('ERROR') })).code);
  say(`workflow bundle built once in ${((Date.now() - bundleStarted) / 1000).toFixed(1)} s`);

  const shared = { NODE_ENV: 'production', DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: NAMESPACE, TEMPORAL_TASK_QUEUE: TASK_QUEUE, LOG_LEVEL: 'warn', PUBLIC_URL: 'http://localhost:3000' };
  const workers: AppProcess[] = [1, 2].map((n) =>
    appProcess({
      name: `worker-${n}`,
      app: 'worker',
      env: { ...shared, SMTP_URL: smtp.url, MAIL_FROM: 'Điều hành <faults@localhost>', WORKFLOW_BUNDLE_PATH: bundlePath },
      logFile: path.join(runDir, `worker-${n}.log`),
      ready: workerReady(() => connection, NAMESPACE, TASK_QUEUE),
    }),
  );
  const apiPort = await freePort();
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  const api = appProcess({
    name: 'api',
    app: 'api',
    env: { ...shared, PORT: String(apiPort), SESSION_SECRET: randomBytes(32).toString('hex') },
    logFile: path.join(runDir, 'api.log'),
    ready: apiReady(baseUrl),
  });
  for (const p of [...workers, api]) cleanups.push(() => p.stop('SIGKILL'));
  await Promise.all([...workers.map((w) => w.start()), api.start()]);
  say(`two workers (pids ${workers.map((w) => w.pid).join(', ')}) and the API (${baseUrl}) up`);

  // --- 100+ assignments at mixed stages ------------------------------------------------------
  const fp = faultPlan(SIZE);
  const people: People = await seedPeople(databaseUrl, fp.plan, fp.specs);
  await logIn(baseUrl, people);
  const office = people.office;
  const imported = await request(baseUrl, { method: 'POST', path: '/api/plans', token: office.token, localAddress: office.address, body: { definition: fp.text } });
  if (imported.status !== 201) throw new Error(`plan import: ${imported.status} ${imported.text.slice(0, 500)}`);
  const planKey = imported.body.key as string;
  const real = (id: string) => id.replace(':probe:', `:${planKey}:`);
  // The hostile corpus aims at three assignments of its own: one left out of the launch, two kept
  // out of the people's load (see reserveForHostile).
  const probeReserve = reserveForHostile(fp.specs);
  const reserve: HostileReserve = { open: real(probeReserve.open), awaiting: real(probeReserve.awaiting), unlaunched: real(probeReserve.unlaunched) };
  const launchList = fp.specs.map((s) => real(s.id)).filter((id) => id !== reserve.unlaunched);
  const launched = await request(baseUrl, { method: 'POST', path: `/api/plans/${imported.body.id}/launch`, token: office.token, localAddress: office.address, body: { assignments: launchList } });
  if (launched.status !== 202) throw new Error(`plan launch: ${launched.status} ${launched.text.slice(0, 500)}`);
  const specs = new Map<string, AssignmentSpec>(
    fp.specs.filter((s) => s.kind !== 'monthly-report' && real(s.id) !== reserve.unlaunched).map((s) => [real(s.id), { ...s, id: real(s.id) }]),
  );
  /** What the people act on: every launched assignment but the hostile reserve. */
  const ids = [...specs.keys()].filter((id) => id !== reserve.open && id !== reserve.awaiting);
  const db = new Pool({ connectionString: databaseUrl, max: 4 });
  cleanups.push(() => db.end());
  db.on('error', () => undefined);
  await waitFor(async () => Number((await db.query(`SELECT count(*) FROM assignments WHERE plan_key = $1`, [planKey])).rows[0].count) >= ids.length, 240_000, 'every assignment in the read model');
  say(`plan ${planKey} launched: ${ids.length} assignments (+ monthly report periods)`);

  const ledger: LedgerEntry[] = [];
  const driver = new Driver({ baseUrl: () => baseUrl, client, people, specs, ledger });
  // Stages: untouched drafts; submitted (awaiting step 1); step 1 approved (mid-chain);
  // extensions requested (pending) or decided. A third of the units ask for an extension first.
  const stageSteps = (id: string) => {
    const spec = specs.get(id)!;
    const h = [...id].reduce((a, c) => (a * 33 + c.charCodeAt(0)) >>> 0, 5) % 3;
    if (driver.wantsExtension(id)) return h === 0 ? 0 : 1;
    return spec.approvalChain ? h : 0;
  };
  const setupQueue = ids.flatMap((id) => (stageSteps(id) ? [id] : []));
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let id = setupQueue.shift(); id; id = setupQueue.shift()) {
        for (let i = 0; i < stageSteps(id); i++) await driver.step(id, 'baseline');
      }
    }),
  );
  const inFlight = await countRunning(client(), WORKFLOW_TYPES.assignment);
  const stages = (await db.query(
    `SELECT lifecycle, (state->'extensions' @> '[{"status":"pending"}]'::jsonb) AS ext_pending, submission_count > 0 AS submitted, count(*)::int AS n
       FROM assignments GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  )).rows as { lifecycle: string; ext_pending: boolean; submitted: boolean; n: number }[];
  const midChain = Number((await db.query(`SELECT count(*) FROM approvals WHERE outcome IS NULL AND jsonb_array_length(state->'decisions') > 0`)).rows[0].count);
  say(`in flight: ${inFlight} assignment workflows; stages: ${stages.map((s) => `${s.lifecycle}${s.ext_pending ? '+extension pending' : ''}${s.submitted ? '+submitted' : ''}=${s.n}`).join(', ')}; ${midChain} approvals mid-chain`);

  // --- Faults, each while people keep acting ---------------------------------------------------
  const faults: FaultRecord[] = [];
  const comparisons: FaultRecord[] = [];
  // Each phase acts on its own share of the assignments: with one pool, the phases before it had
  // done all the work there was, and the last phase of the small size sometimes found nothing to do
  // (0 actions in "API restart under retried requests": 'fault phases with nobody acting' = 1).
  const PHASE_COUNT = 6;
  let phaseNo = 0;
  const underLoad = async (name: string, inject: () => Promise<string>, concurrency = KNOBS.load, isFault = true) => {
    if (phaseNo >= PHASE_COUNT) throw new Error(`more phases than PHASE_COUNT (${PHASE_COUNT}): raise it`);
    const share = ids.filter((_, i) => i % PHASE_COUNT === phaseNo);
    phaseNo += 1;
    let stop = false;
    const startedAt = Date.now();
    const load = drive(driver, share, name, concurrency, () => stop);
    await sleep(3000); // let requests and activities get going
    let note = '';
    try {
      note = await inject();
      // A process that died of the fault (rather than by our hand) is part of the finding.
      if (temporal.process && (temporal.process.exitCode !== null || temporal.process.signalCode !== null)) {
        note += '; Temporal Server had exited, restarted';
        await temporal.start();
      }
      for (const p of [...workers, api]) {
        if (!p.running) {
          note += `; ${p.name} had died, restarted`;
          await p.start();
        }
      }
    } finally {
      stop = true;
      await load;
    }
    (isFault ? faults : comparisons).push({ name, startedAt, endedAt: Date.now(), note });
    say(`fault "${name}" done: ${note}`);
  };

  await underLoad('worker SIGKILL', async () => {
    const victim = workers[0]!;
    const pid = victim.pid;
    await victim.stop('SIGKILL');
    await sleep(5000);
    const t = Date.now();
    await victim.start();
    return `killed pid ${pid} mid-activities; restarted in ${((Date.now() - t) / 1000).toFixed(1)} s`;
  });

  await underLoad('Temporal Server restart', async () => {
    await temporal.stop();
    await sleep(KNOBS.temporalDownMs);
    const t = Date.now();
    await temporal.start();
    await connectionAlive(() => connection);
    await Promise.all(workers.map((w) => workerPolling(() => connection, w)));
    return `down ${KNOBS.temporalDownMs / 1000} s; back and polled in ${((Date.now() - t) / 1000).toFixed(1)} s`;
  });

  await underLoad('PostgreSQL stop (crash) while activities write', async () => {
    await pg.stop('immediate');
    await sleep(KNOBS.pgDownMs);
    const t = Date.now();
    await pg.start();
    await connectionAlive(() => connection);
    await sleep(5000);
    return `down ${KNOBS.pgDownMs / 1000} s; restarted in ${((Date.now() - t) / 1000).toFixed(1)} s`;
  });

  // The same load for as long as the SMTP outage, with no fault: what the machine's load alone does
  // to Updates (a 2-core machine shared with other work), to tell it from what a fault does.
  const noFault = { from: 0, to: 0 };
  await underLoad(
    NO_FAULT,
    async () => {
      noFault.from = Date.now();
      await sleep(KNOBS.smtpDownMs);
      noFault.to = Date.now();
      return `no fault for ${KNOBS.smtpDownMs / 1000} s (same load, for comparison)`;
    },
    KNOBS.load,
    false,
  );

  const smtpFault = { from: 0, to: 0 };
  await underLoad('SMTP down', async () => {
    await smtp.down();
    smtpFault.from = Date.now();
    await sleep(KNOBS.smtpDownMs);
    smtpFault.to = Date.now();
    await smtp.up();
    return `down ${KNOBS.smtpDownMs / 1000} s`;
  });

  await underLoad(
    'API restart under retried requests',
    async () => {
      await api.stop('SIGKILL');
      const t = Date.now();
      await api.start();
      await sleep(3000);
      return `API killed mid-requests; serving again in ${((Date.now() - t) / 1000).toFixed(1)} s`;
    },
    KNOBS.load * 2,
  );

  // --- Hostile input --------------------------------------------------------------------------
  const hostile = await hostilePhase({ baseUrl, people, planKey, planId: imported.body.id as string, planText: fp.text, reserve, specs, driver, ids: [...specs.keys()], client, db });
  faults.push({ name: 'hostile input', startedAt: hostile.startedAt, endedAt: Date.now(), note: `${hostile.cases} requests from ${hostile.source}` });
  say(`hostile input: ${hostile.cases} requests (${hostile.source}); ${hostile.fiveXx} 5xx, ${hostile.hung} hung, ${hostile.effects} effects`);

  // --- Role × endpoint, valid bodies -------------------------------------------------------
  const authzCellsChecked: AuthzCell[] = await checkAuthz(baseUrl, people, hostile.target, hostile.lead, specs, fp.text);
  const authzWrong = authzCellsChecked.filter((c) => !c.ok);
  say(`authorization: ${authzCellsChecked.length} cells, ${authzWrong.length} answered otherwise than expected`);

  // --- Reconciliation ------------------------------------------------------------------------
  say('settling: waiting for projections and e-mails, then reconciling every workflow with the read model');
  // E-mails still due: rows for a unit with people, neither e-mailed nor closed (a unit with no address is closed at once).
  const mailsDue = async () =>
    Number(
      (
        await db.query(
          `SELECT count(*) FROM notifications n WHERE emailed_at IS NULL AND email_failed_at IS NULL
             AND EXISTS (SELECT 1 FROM users u WHERE u.unit_code = n.recipient_unit AND u.active AND u.email IS NOT NULL)`,
        )
      ).rows[0].count,
    ) === 0;
  await waitFor(mailsDue, KNOBS.settleMs / 2, 'e-mails', false);
  const rec = await reconcile(client(), db, KNOBS.settleMs / 2);
  const ledgerCheck = checkLedger(ledger, rec.states);
  // A reminder due while the workflows were reconciled has its in-app row written a moment
  // before its e-mail goes out (a separate activity): give those their moment, then count.
  await waitFor(mailsDue, 20_000, 'e-mails of notices written while reconciling', false);
  const mails = await checkMails(db, smtp.received, people.unitOfEmail);

  const updateKinds = new Set(['submit', 'decide', 'request-extension', 'decide-extension']);
  const inWindow = (e: LedgerEntry, from: number, to: number) => e.startedAt >= from && e.startedAt <= to;
  const smtpUpdates = ledger.filter((e) => updateKinds.has(e.kind) && inWindow(e, smtpFault.from, smtpFault.to));
  const noFaultUpdates = ledger.filter((e) => updateKinds.has(e.kind) && inWindow(e, noFault.from, noFault.to));
  const firstMs = (e: LedgerEntry) => (e.attempts[0]!.status === 0 ? Infinity : e.attempts[0]!.ms);
  // An Update's time is its first attempt's (no answer counts as endless; a quick 4xx is an answer).
  const noFaultSlowest = Math.max(0, ...noFaultUpdates.map(firstMs).filter(Number.isFinite));
  const overOneSecond = smtpUpdates.filter((e) => firstMs(e) > 1000);
  // Whether an Update waited for the outage is read from the histories, not guessed from the
  // clock: every workflow an Update touched in the run, every Update in its history.
  const waits = await updatesThatWaited(client(), ledger.filter((e) => updateKinds.has(e.kind) && succeeded(e)).map((e) => e.workflowId));
  const waitedIn = new Set(waits.waited.map((w) => w.workflowId));
  // Slow by the fault: over MAX_UPDATE_BOUND_MS (waiting for the outage: 15 s and more in the old
  // bug), or over 1 s on a workflow whose history shows an Update answered only once an activity
  // ended (see update-waits.ts). An Update over 1 s whose history shows no such wait was slowed by
  // the machine's load (the no-fault window shows how much), and is counted in the note.
  const slowUpdates = smtpUpdates.filter((e) => firstMs(e) > MAX_UPDATE_BOUND_MS || (firstMs(e) > 1000 && waitedIn.has(e.workflowId)));
  const noFaultOverOneSecond = noFaultUpdates.filter((e) => firstMs(e) > 1000).length;
  const smtpHung = smtpUpdates.filter((e) => e.attempts.some((a) => a.error === 'timeout')).length;
  // Any attempt of any person's action that got no answer in 30 s, in any phase.
  const actionsHung = ledger.filter((e) => e.attempts.some((a) => a.error === 'timeout'));
  const baseline = ledger.filter((e) => e.phase === 'baseline');
  const baselineSlow = baseline.filter((e) => e.attempts[0]!.ms > 1000).length;
  const authz = authzCells();

  const idlePhases = [...comparisons, ...faults.filter((f) => f.name !== 'hostile input')].filter((f) => !ledger.some((e) => e.phase === f.name));
  const figures: Figure[] = [
    { label: 'faults injected', value: faults.length, mustBeZero: false, note: faults.map((f) => f.name).join('; ') },
    { label: 'assignments in flight', value: inFlight, mustBeZero: false, note: `${midChain} approvals mid-chain at the start` },
    { label: 'client actions (2xx)', value: ledgerCheck.succeeded, mustBeZero: false, note: `${ledgerCheck.actions} sent` },
    { label: 'decisions lost', value: ledgerCheck.lost.length, mustBeZero: true },
    {
      label: 'recorded, but the client was told otherwise',
      value: ledgerCheck.recordedWithoutSuccess.length,
      mustBeZero: true,
      note: `after every retry with the same Idempotency-Key: ${countBy(ledgerCheck.recordedWithoutSuccess.map((e) => `${e.phase}/${e.finalStatus || 'no answer'}`))}`,
    },
    { label: 'duplicates', value: ledgerCheck.duplicated.length + mails.duplicateMails, mustBeZero: true, note: `${ledgerCheck.duplicated.length} actions recorded twice, ${mails.duplicateMails} e-mails sent twice` },
    { label: 'read-model drift', value: driftingWorkflows(rec) + rec.unreadable.length, mustBeZero: true, note: `${rec.assignments} assignments + ${rec.approvals} approvals compared; differing: ${countBy(rec.drift.map((x) => `${x.workflowId.split(':')[0]}.${x.field}`))}${rec.unreadable.length ? `; ${rec.unreadable.length} unreadable` : ''}` },
    { label: 'e-mails never sent', value: mails.unsent, mustBeZero: true, note: `${mails.mails} mails for ${mails.notices} notices` },
    {
      label: 'Updates slower than 1 s during faults',
      value: slowUpdates.length,
      mustBeZero: true,
      note: `SMTP outage: ${slowUpdates.length} of ${smtpUpdates.length} slow by the fault (over ${MAX_UPDATE_BOUND_MS / 1000} s, or over 1 s with an Update that awaited an activity in its history); ${overOneSecond.length - slowUpdates.filter((e) => firstMs(e) > 1000).length} more over 1 s round trip with no such wait (load; slowest with no fault ${(noFaultSlowest / 1000).toFixed(2)} s)`,
    },
    {
      label: 'Updates that awaited an activity (history)',
      value: waits.waited.length + waits.unreadable.length,
      mustBeZero: true,
      note: `from the histories: ${waits.updates} Updates in ${new Set(ledger.filter((e) => updateKinds.has(e.kind) && succeeded(e)).map((e) => e.workflowId)).size} workflows${waits.waited.length ? `; waited: ${waits.waited.slice(0, 3).map((w) => `${w.workflowId} (${w.tasksBetween} tasks)`).join(', ')}` : ''}${waits.unreadable.length ? `; ${waits.unreadable.length} histories unreadable` : ''}`,
    },
    {
      label: 'Updates slower than 1 s, no fault, same load',
      value: noFaultOverOneSecond,
      mustBeZero: false,
      note: `${noFaultOverOneSecond} of ${noFaultUpdates.length}, slowest ${(noFaultSlowest / 1000).toFixed(2)} s: the machine's load alone; setup phase (4 at once) ${baselineSlow} of ${baseline.length}`,
    },
    {
      // A phase where nobody acted proves nothing about answers during its fault: the load ran dry.
      label: 'fault phases with nobody acting',
      value: idlePhases.length,
      mustBeZero: true,
      note: idlePhases.length ? idlePhases.map((f) => f.name).join('; ') : `every phase under load had people acting (SMTP outage: ${smtpUpdates.length} Updates)`,
    },
    { label: 'hostile requests', value: hostile.cases, mustBeZero: false, note: hostile.source },
    { label: '5xx', value: hostile.fiveXx, mustBeZero: true, note: 'answers to hostile requests' },
    { label: 'rows written or workflows started by bad input', value: hostile.effects, mustBeZero: true },
    { label: 'hostile requests not refused', value: hostile.notRefused, mustBeZero: true, note: `answered 2xx/3xx or connection dropped; besides, ${hostile.wrongRefusal} refused with another 4xx than the corpus names` },
    {
      label: 'hung requests',
      value: hostile.hung + actionsHung.length,
      mustBeZero: true,
      note: `${hostile.hung} hostile (no answer in ${HUNG_AFTER_MS / 1000} s); people's actions with an attempt unanswered in 30 s: ${actionsHung.length} (${countBy(actionsHung.map((e) => e.phase))}), of which ${smtpHung} Updates during the SMTP outage`,
    },
    {
      label: 'authz cells checked',
      value: authzCellsChecked.length,
      mustBeZero: false,
      note: `here: ${countBy(authzCellsChecked.map((c) => (c.expected < 300 ? 'allowed (valid body)' : 'forbidden (same valid body)')))}; ${authz.note}`,
    },
    { label: 'authz cells answered wrongly', value: authzWrong.length, mustBeZero: true, note: authzWrong.slice(0, 3).map((c) => `${c.row} as ${c.caller}: ${c.status}, expected ${c.expected}`).join('; ') },
  ];

  process.stdout.write(`\n${renderTable(figures)}\n\n`);
  writeDetails(runDir, { faults, comparisons, ledgerCheck, rec, mails, slowUpdates, overOneSecond, actionsHung, hostile, figures });
  printDetails({ faults: [...comparisons, ...faults], ledgerCheck, drift: rec.drift, slowUpdates: overOneSecond, actionsHung, hostile, ledger, mailExamples: mails.examples });
  const failed = failures(figures);
  say(`took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (failed.length) {
    process.stdout.write(`FAILED: ${failed.map((f) => `${f.label} = ${f.value ?? 'n/a'}`).join('; ')}\n`);
    return false;
  }
  process.stdout.write('PASSED: every must-be-zero figure is zero\n');
  return true;
}

/** The client's gRPC channel reconnects by itself; wait until the frontend answers through it. */
async function connectionAlive(connection: () => Connection): Promise<void> {
  await waitFor(
    async () => {
      await connection().withDeadline(Date.now() + 3000, () => connection().workflowService.getSystemInfo({}));
      return true;
    },
    120_000,
    'Temporal frontend',
  );
}

interface HostileOutcome {
  startedAt: number;
  source: string;
  cases: number;
  fiveXx: number;
  hung: number;
  /** Answered 2xx/3xx or network error: not refused at all. */
  notRefused: number;
  /** Refused with a 4xx, but not the one the corpus names (or not its reason). */
  wrongRefusal: number;
  effects: number;
  target: HostileTarget;
  lead: Person;
  details: { name: string; status: number; ms: number; error?: string; expected?: string; body?: string }[];
  effectDetails: string[];
}

/**
 * Bad input must change nothing: snapshots of workflows (ids and the state that people change)
 * and of the tables bad input could write, before and after. No person acts meanwhile; timers
 * may fire, which changes neither.
 */
async function hostilePhase(o: {
  baseUrl: string;
  people: People;
  planKey: string;
  planId: string;
  planText: string;
  reserve: HostileReserve;
  specs: Map<string, AssignmentSpec>;
  driver: Driver;
  ids: string[];
  client: () => Client;
  db: Pool;
}): Promise<HostileOutcome> {
  const { baseUrl, people, driver, ids, client, db } = o;
  const startedAt = Date.now();
  const lead = people.byUnit.get(o.specs.get(o.reserve.awaiting)!.leadUnit)!;
  const target = await prepareHostileTarget({ baseUrl, people, lead, loginUsername: people.loginOnly.username, planId: o.planId, planKey: o.planKey, planText: o.planText, reserve: o.reserve, specs: o.specs, assignmentState: (id) => driver.assignmentState(id) });
  const cases = buildHostileCorpus(target);

  // Side effects of the last people's actions may still be landing: start from a quiet state.
  let before = await snapshot(client(), db, ids, driver);
  for (let i = 0; i < 10; i++) {
    await sleep(2000);
    const again = await snapshot(client(), db, ids, driver);
    const same = again.size === before.size && [...again].every(([k, v]) => before.get(k) === v);
    before = again;
    if (same) break;
  }
  const outcomes: CaseOutcome[] = await sendCorpus(baseUrl, cases, 4);
  await sleep(3000); // anything bad input set off has had time to show
  const after = await snapshot(client(), db, ids, driver);
  const effectDetails: string[] = [];
  for (const [k, v] of after) if (before.get(k) !== v) effectDetails.push(`${k}: ${before.get(k) ?? '(none)'} -> ${v}`);
  const num = (x: CaseOutcome) => (typeof x.status === 'number' ? x.status : 0);
  const details = outcomes.map((x) => ({
    name: x.case.name,
    status: num(x),
    ms: x.ms,
    error: typeof x.status === 'number' ? undefined : x.status,
    expected: `${x.case.expect?.join('/') ?? '4xx'}${x.case.reason ? ` ${x.case.reason}` : ''}`,
    body: isRightRefusal(x) ? undefined : x.body.slice(0, 300),
  }));
  return {
    startedAt,
    source: 'test/support/hostile-corpus.ts',
    cases: cases.length,
    fiveXx: outcomes.filter((x) => num(x) >= 500).length,
    hung: outcomes.filter((x) => x.status === 'hung').length,
    notRefused: outcomes.filter((x) => x.status === 'network-error' || (num(x) > 0 && num(x) < 400)).length,
    wrongRefusal: outcomes.filter((x) => num(x) >= 400 && num(x) < 500 && !isRightRefusal(x)).length,
    effects: effectDetails.length,
    target,
    lead,
    details,
    effectDetails,
  };
}

/** What bad input could change: workflows, what people change in them, and writable tables. */
async function snapshot(client: Client, db: Pool, ids: string[], driver: Driver): Promise<Map<string, string>> {
  const snap = new Map<string, string>();
  for (const type of Object.values(WORKFLOW_TYPES)) {
    let count = 0;
    for await (const _ of client.workflow.list({ query: `WorkflowType = '${type}'` })) count++;
    snap.set(`workflows ${type}`, String(count));
  }
  for (const table of ['users', 'plan_versions', 'delegations', 'idempotency_keys', 'assignments', 'approvals']) {
    snap.set(`rows ${table}`, String((await db.query(`SELECT count(*) FROM ${table}`)).rows[0].count));
  }
  const queue = [...ids];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        const s = await driver.assignmentState(id).catch(() => undefined);
        if (s) snap.set(id, JSON.stringify([s.lifecycle, s.submissions.length, s.extensions.map((x) => x.status), s.deadline.effective, s.approvalId]));
      }
    }),
  );
  return new Map([...snap].sort(([a], [b]) => a.localeCompare(b)));
}

async function countRunning(client: Client, type: string): Promise<number> {
  let n = 0;
  for await (const _ of client.workflow.list({ query: `WorkflowType = '${type}' AND ExecutionStatus = 'Running'` })) n++;
  return n;
}

async function workerPolling(connection: () => Connection, worker: AppProcess): Promise<void> {
  await waitFor(async () => {
    try {
      const res = await connection().workflowService.describeTaskQueue({ namespace: NAMESPACE, taskQueue: { name: TASK_QUEUE }, taskQueueType: 1 });
      return res.pollers.some((p) => p.identity?.startsWith(`${worker.pid}@`));
    } catch {
      return false;
    }
  }, 120_000, `${worker.name} polling again`);
}

async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, what: string, mustHappen = true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      if (mustHappen) throw new Error(`timed out waiting for ${what}`);
      say(`still waiting for ${what} after ${timeoutMs / 1000} s; reconciling anyway`);
      return;
    }
    await sleep(1000);
  }
}

/** What the integration test's full table checked, when it ran before this suite (npm test writes it). */
function authzCells(): { cells: number | undefined; note: string } {
  if (!existsSync(AUTHZ_CELLS_FILE)) return { cells: undefined, note: `full table (test/api/authorization.int.spec.ts): not run yet in this checkout` };
  const parsed = JSON.parse(readFileSync(AUTHZ_CELLS_FILE, 'utf8')) as { cells?: number };
  return { cells: parsed.cells, note: `full table (test/api/authorization.int.spec.ts, last run): ${parsed.cells} cells` };
}

function printDetails(d: {
  faults: FaultRecord[];
  ledgerCheck: ReturnType<typeof checkLedger>;
  drift: { workflowId: string; field: string; workflow: unknown; readModel: unknown }[];
  slowUpdates: LedgerEntry[];
  actionsHung: LedgerEntry[];
  hostile: HostileOutcome;
  ledger: LedgerEntry[];
  mailExamples: string[];
}) {
  const out: string[] = [];
  if (d.mailExamples.length) {
    out.push('  e-mails:');
    for (const m of d.mailExamples.slice(0, 10)) out.push(`    ${m}`);
  }
  for (const f of d.faults) {
    const during = d.ledger.filter((e) => e.phase === f.name);
    const ok = during.filter(succeeded);
    const ms = ok.map((e) => e.endedAt - e.startedAt).sort((a, b) => a - b);
    const p = (q: number) => (ms.length ? `${(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! / 1000).toFixed(2)} s` : '-');
    const statuses = countBy(during.map((e) => String(e.finalStatus)));
    out.push(`  ${f.name}: ${f.note}; ${during.length} actions, answers ${statuses}; time to answer (with retries) p50 ${p(0.5)} p95 ${p(0.95)} max ${p(1)}`);
  }
  const show = (title: string, entries: LedgerEntry[]) => {
    if (!entries.length) return;
    out.push(`  ${title}:`);
    for (const e of entries.slice(0, 10)) out.push(`    ${e.phase} | ${e.kind} ${e.workflowId} | attempts ${e.attempts.map((a) => `${a.status || a.error}/${Math.round(a.ms)}ms`).join(', ')}`);
    if (entries.length > 10) out.push(`    … ${entries.length - 10} more`);
  };
  show('decisions lost', d.ledgerCheck.lost);
  show('actions recorded twice', d.ledgerCheck.duplicated);
  show('recorded although the client got no 2xx', d.ledgerCheck.recordedWithoutSuccess);
  show('Updates over 1 s during the SMTP outage', d.slowUpdates);
  show('actions with an attempt unanswered in 30 s', d.actionsHung);
  if (d.drift.length) {
    out.push('  read-model drift:');
    for (const x of d.drift.slice(0, 10)) out.push(`    ${x.workflowId} ${x.field}: workflow ${JSON.stringify(x.workflow)} / read model ${JSON.stringify(x.readModel)}`);
    if (d.drift.length > 10) out.push(`    … ${d.drift.length - 10} more`);
  }
  const bad = d.hostile.details.filter((h) => h.body !== undefined);
  if (bad.length) {
    out.push('  hostile requests not answered with the expected 4xx:');
    for (const h of bad.slice(0, 20)) out.push(`    ${h.name}: ${h.status || h.error} (expected ${h.expected}) after ${Math.round(h.ms)} ms ${h.body?.slice(0, 160) ?? ''}`);
    if (bad.length > 20) out.push(`    … ${bad.length - 20} more`);
  }
  if (d.hostile.effectDetails.length) {
    out.push('  changed by bad input:');
    for (const e of d.hostile.effectDetails.slice(0, 10)) out.push(`    ${e}`);
  }
  process.stdout.write(`Details:\n${out.join('\n')}\n\n`);
}

function writeDetails(runDir: string, data: unknown) {
  writeFileSync(path.join(runDir, 'faults-report.json'), JSON.stringify(data, (_k, v: unknown) => (v instanceof Map ? undefined : v), 2));
}

const countBy = (xs: string[]) =>
  Object.entries(xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {}))
    .map(([k, v]) => `${k === '0' ? 'none' : k}×${v}`)
    .join(' ');

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[faults] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
