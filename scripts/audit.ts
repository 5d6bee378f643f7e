/**
 * Auditors' command line (issue 8). Configured from the environment like the API
 * (DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_UI_URL).
 *
 *   npm run audit -- verify <history.json | workflow id | --plan CODE>
 *   npm run audit -- export <workflow id> [file]      (the CLI's JSON; the latest run)
 *   npm run audit -- timeline <workflow id | import:<id>> [--en]
 *   npm run audit -- archive-verify
 *   npm run audit -- archive-now                      (archive closed runs now, as the worker does)
 *
 * Exit code 0 when consistent / intact, 1 when not, 2 on bad usage or errors.
 */
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { createDataSource } from '@dieu-hanh/persistence';
import { formatTime } from '@dieu-hanh/domain/audit';
import { loadApiConfig } from '../apps/api/src/config/api.config';
import { AppConfig } from '../apps/api/src/infra/infra.module';
import { PlanDirectory } from '../apps/api/src/web/plan-directory';
import { AuditService, parseHistoryFile } from '../apps/api/src/audit/audit.service';
import { ReplayVerifier } from '../apps/api/src/audit/replay-verifier';
import type { ReplayResult } from '../apps/api/src/audit/audit.types';
import { WorkflowArchiver } from '../apps/worker/src/archive/workflow-archiver';

const USAGE = `usage: npm run audit -- verify <history.json | workflow id | --plan CODE>
       npm run audit -- export <workflow id> [file]
       npm run audit -- timeline <workflow id> [--en]
       npm run audit -- archive-verify
       npm run audit -- archive-now`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function describeResult(r: ReplayResult): string {
  if (r.ok) return `${r.workflowId}  ${r.runId}  consistent`;
  return `${r.workflowId}  ${r.runId}  NON-DETERMINISTIC${r.error?.eventId ? ` at event ${r.error.eventId}` : ''}: ${r.error?.message ?? ''}`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h') {
    out(USAGE);
    return command ? 0 : 2;
  }

  // A file needs neither the database nor Temporal: replay it against today's code.
  if (command === 'verify' && args[0] && args[0] !== '--plan' && existsSync(args[0])) {
    const { workflowId, runs } = parseHistoryFile(JSON.parse(readFileSync(args[0], 'utf8')));
    const results = await new ReplayVerifier().replay(runs.map((r) => ({ workflowId, runId: r.runId, history: r.history })));
    results.forEach((r) => out(describeResult(r)));
    return results.every((r) => r.ok) ? 0 : 1;
  }

  const config = loadApiConfig();
  const db = await createDataSource(config.DATABASE_URL).initialize();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const audit = new AuditService(client, db, new AppConfig(config), new PlanDirectory(db), new ReplayVerifier());
  try {
    switch (command) {
      case 'verify': {
        if (args[0] === '--plan') {
          if (!args[1]) break;
          const results = await audit.verifyPlan(args[1], (p) => err(`[${p.done}/${p.total}] ${p.last ? describeResult(p.last) : ''}`));
          out(`\nworkflow id | run id | result`);
          results.forEach((r) => out(describeResult(r)));
          const bad = results.filter((r) => !r.ok).length;
          out(`\n${results.length} workflows, ${results.length - bad} consistent, ${bad} not`);
          return bad === 0 ? 0 : 1;
        }
        if (!args[0]) break;
        const result = await audit.verify(args[0]);
        (result.runs ?? [result]).forEach((r) => out(describeResult({ workflowId: result.workflowId, ...r })));
        return result.ok ? 0 : 1;
      }
      case 'export': {
        if (!args[0]) break;
        const chain = await audit.history(args[0]);
        const json = JSON.stringify(chain.runs.at(-1)!.history, null, 2);
        if (args[1]) writeFileSync(args[1], json);
        else out(json);
        err(`${chain.workflowId}: ${chain.runs.length} run(s), from ${chain.source}; wrote the latest run ${chain.runs.at(-1)!.runId}`);
        return 0;
      }
      case 'timeline': {
        if (!args[0]) break;
        const en = args.includes('--en');
        const view = await audit.timeline(args[0], en ? 'en' : 'vi');
        for (const e of view.entries) {
          out(`${formatTime(e.at)}  #${String(e.eventId).padStart(4)}  ${e.refused ? '[TỪ CHỐI] ' : ''}${en ? e.text.en : e.text.vi}`);
        }
        if (view.temporalUiUrl) err(view.temporalUiUrl);
        return 0;
      }
      case 'archive-verify': {
        const result = await audit.verifyArchive();
        if (result.ok) out(`archive intact: ${result.checked} entries`);
        else out(`archive TAMPERED at entry ${result.firstMismatch!.id} (${result.firstMismatch!.workflowId} ${result.firstMismatch!.runId}): ${result.firstMismatch!.reason}`);
        return result.ok ? 0 : 1;
      }
      case 'archive-now': {
        const written = await new WorkflowArchiver(client, db, config.TEMPORAL_NAMESPACE).archiveClosedNow(args[0] ? { workflowId: args[0] } : {});
        out(`archived ${written.length} run(s)`);
        return 0;
      }
    }
    err(USAGE);
    return 2;
  } finally {
    await connection.close();
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    err(e instanceof Error ? e.message : String(e));
    process.exit(2);
  },
);
