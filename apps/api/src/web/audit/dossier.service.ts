import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { ArchiveEntry, ArchiveVerifyResult, RefusalRow, ReplayResult } from '../../audit/audit.types';
import type { CurrentUser } from '../../auth/current-user';
import type { Lang, Translate } from '../i18n/i18n';
import { csv, dossierZip, safeFileName, type DossierFile } from './dossier-zip';
import { timelinePrintHtml } from './timeline-print';
import { timelineWorkbook, type TimelineSection } from './timeline-workbook';

export interface DossierScope {
  /** `assignment` or `plan`, and its id / key: names the ZIP and its README. */
  kind: 'assignment' | 'plan';
  id: string;
  title: string;
  workflowIds: string[];
}

interface WorkflowPart {
  workflowId: string;
  ok: boolean;
  problem?: string;
  replay?: ReplayResult;
}

/**
 * The inspection dossier (issue 8, item 8): for an assignment (its workflow and its
 * approvals) or a whole plan, one ZIP with
 *   histories/<workflow>/<run>.json  raw histories, as `temporal workflow show --output json` writes them
 *   timeline/timeline.xlsx, .html    the timeline, as a workbook and as the printable page
 *   archive/digests.json             the archive entries of these workflows and the chain's verification
 *   verification/replay.json         replay of each workflow against today's code
 *   refusals/refused-attempts.csv    refused attempts on these workflows (and .json)
 *   README.txt                       what it covers, the results, and each file's SHA-256
 * A workflow whose history cannot be read is named in the README, not silently left out.
 */
@Injectable()
export class DossierService {
  private readonly logger = new Logger('audit-dossier');

  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  async build(scope: DossierScope, user: CurrentUser, lang: Lang, t: Translate, now = new Date()): Promise<{ fileName: string; body: Buffer }> {
    const files: DossierFile[] = [];
    const sections: TimelineSection[] = [];
    const parts: WorkflowPart[] = [];
    const refusals: RefusalRow[] = [];
    for (const workflowId of scope.workflowIds) {
      const part: WorkflowPart = { workflowId, ok: true };
      parts.push(part);
      try {
        const chain = await this.audit.history(workflowId);
        const dir = `histories/${safeFileName(workflowId)}`;
        chain.runs.forEach((run, i) => files.push({ name: `${dir}/${String(i + 1).padStart(2, '0')}-${safeFileName(run.runId)}.json`, content: JSON.stringify(run.history, null, 2) }));
        // An assignment's timeline already tells its approvals' story; do not tell it twice.
        if (!coveredByAssignment(workflowId, scope.workflowIds)) {
          const timeline = await this.audit.timeline(workflowId, lang);
          sections.push({ workflowId, title: workflowId, entries: timeline.entries });
        }
        part.replay = await this.audit.verify(workflowId);
        refusals.push(...(await this.audit.refusals(workflowId)));
      } catch (err) {
        part.ok = false;
        part.problem = err instanceof Error ? err.message : String(err);
        this.logger.warn({ workflowId, err: part.problem }, 'dossier: workflow not readable');
      }
    }

    const archive: ArchiveEntry[] = [];
    for (const workflowId of scope.workflowIds) archive.push(...(await this.audit.archiveEntries(workflowId).catch(() => [] as ArchiveEntry[])));
    const chainCheck: ArchiveVerifyResult = await this.audit.verifyArchive();
    files.push({ name: 'archive/digests.json', content: JSON.stringify({ verification: chainCheck, entries: archive }, null, 2) });
    files.push({ name: 'verification/replay.json', content: JSON.stringify(parts, null, 2) });

    const title = t(scope.kind === 'plan' ? 'audit.dossier.titlePlan' : 'audit.dossier.titleAssignment', { title: scope.title });
    files.push({ name: 'timeline/timeline.xlsx', content: await timelineWorkbook(sections, lang, t) });
    files.push({ name: 'timeline/timeline.html', content: timelinePrintHtml({ title, sections, lang, t, generatedAt: now, generatedBy: `${user.name} (${user.username}, ${user.unit})` }) });

    refusals.sort((a, b) => a.at.localeCompare(b.at));
    files.push({
      name: 'refusals/refused-attempts.csv',
      content: csv(
        ['at', 'workflow_id', 'user_id', 'name', 'unit', 'roles', 'method', 'path', 'status', 'code', 'reason'],
        refusals.map((r) => [r.at, r.workflowId, r.userId, r.name, r.unit, r.roles.join(' '), r.method, r.path, r.status, r.code, r.reason]),
      ),
    });
    files.push({ name: 'refusals/refused-attempts.json', content: JSON.stringify(refusals, null, 2) });

    const summary = [
      `${scope.kind === 'plan' ? 'Kế hoạch / plan' : 'Phân công / assignment'}: ${scope.id}`,
      `${scope.title}`,
      '',
      'Quy trình / workflows (replay against today\'s code):',
      ...parts.map((p) =>
        !p.ok
          ? `  ${p.workflowId}: KHÔNG ĐỌC ĐƯỢC / NOT READABLE — ${p.problem}`
          : p.replay?.ok
            ? `  ${p.workflowId}: Nhất quán / consistent`
            : `  ${p.workflowId}: KHÔNG NHẤT QUÁN / NOT CONSISTENT at event ${p.replay?.error?.eventId ?? '?'} — ${p.replay?.error?.message ?? ''}`,
      ),
      '',
      chainCheck.ok
        ? `Chuỗi lưu trữ / archive chain: nguyên vẹn / intact (${chainCheck.checked} entries)`
        : `Chuỗi lưu trữ / archive chain: SAI LỆCH / BROKEN at entry ${chainCheck.firstMismatch?.id} (${chainCheck.firstMismatch?.workflowId}, run ${chainCheck.firstMismatch?.runId}): ${chainCheck.firstMismatch?.reason}`,
      `Lưu trữ của các quy trình này / archive entries of these workflows: ${archive.length}`,
      `Thao tác bị từ chối / refused attempts: ${refusals.length}`,
    ];
    const body = await dossierZip({ title, generatedAt: now, generatedBy: `${user.name} (${user.username}, ${user.unit})`, summary }, files);
    return { fileName: `ho-so-kiem-tra-${safeFileName(scope.id)}.zip`, body };
  }
}


/** `approval:<assignment id>:v<n>` whose assignment is in the same dossier. */
function coveredByAssignment(workflowId: string, all: string[]): boolean {
  const m = workflowId.match(/^approval:(.+):v\d+$/);
  return m !== null && all.includes(m[1]);
}
