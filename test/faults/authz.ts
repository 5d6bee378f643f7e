import { randomUUID } from 'node:crypto';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import type { HostileTarget } from '../support/hostile-corpus';
import { request } from './http-client';
import type { People, Person } from './people';

/** The callers of the compact table: the suite's people, plus no one. */
export type Caller = 'anonymous' | 'lead' | 'otherUnit' | 'office' | 'deputy' | 'auditor' | 'outsider';

export interface AuthzCell {
  row: string;
  caller: Caller;
  expected: number;
  status: number;
  ok: boolean;
  body?: string;
}

interface AuthzRow {
  name: string;
  path: string;
  body: unknown;
  /** Who may, in order, each with the exact success status; sent after every forbidden cell. */
  allowed: [Caller, number, unknown?][];
  /** Who may not: 403 (401 for the anonymous caller), and nothing changes; the allowed cells after prove it. */
  forbidden: Caller[];
}

/**
 * A compact role × endpoint table the fault suite checks on its own topology (so it does not
 * depend on the integration tests having run first): five write endpoints, each called by every
 * caller with the SAME valid body. Forbidden callers go first and must get exactly 403 (401
 * anonymous); then the allowed caller must get exactly its success status, which also proves that
 * no forbidden call went through (a draft version 1 already submitted would answer 409).
 * Runs on the hostile reserve after the hostile phase, so its writes touch nothing else.
 */
export async function checkAuthz(baseUrl: string, people: People, target: HostileTarget, lead: Person, specs: Map<string, AssignmentSpec>, planText: string): Promise<AuthzCell[]> {
  const otherUnit = [...people.byUnit.values()].find((p) => p.unit !== lead.unit)!;
  const who: Record<Exclude<Caller, 'anonymous'>, Person> = { lead, otherUnit, office: people.office, deputy: people.deputy, auditor: people.auditor, outsider: people.loginOnly };
  const enc = encodeURIComponent;
  const ids = target.ids;
  const chain = specs.get(ids.awaitingAssignmentId)!.approvalChain!;
  const later = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const everyoneBut = (...allowed: Caller[]): Caller[] => (['anonymous', 'lead', 'otherUnit', 'office', 'deputy', 'auditor', 'outsider'] as Caller[]).filter((c) => !allowed.includes(c));
  const rows: AuthzRow[] = [
    {
      name: 'POST /api/assignments/{id}/drafts',
      path: `/api/assignments/${enc(ids.openAssignmentId)}/drafts`,
      body: { version: 1, text: 'Dự thảo theo phân công (bảng quyền)', attachments: [{ name: 'Tờ trình', ref: 'VB-01' }] },
      allowed: [['lead', 201]],
      forbidden: everyoneBut('lead'),
    },
    {
      name: 'POST /api/assignments/{id}/extension-requests',
      path: `/api/assignments/${enc(ids.openAssignmentId)}/extension-requests`,
      body: { reason: 'Chờ hướng dẫn (bảng quyền)', proposedDate: later(ids.openAssignmentDeadline, 45) },
      allowed: [['lead', 201]],
      forbidden: everyoneBut('lead'),
    },
    {
      name: 'POST /api/extension-requests/{id}/decision',
      path: `/api/extension-requests/${enc(ids.pendingExtensionRequestId)}/decision`,
      body: { granted: false, comment: 'Chưa đủ căn cứ (bảng quyền)' },
      allowed: [['office', 200]],
      forbidden: everyoneBut('office'),
    },
    {
      name: 'POST /api/approvals/{id}/decision',
      path: `/api/approvals/${enc(ids.openApprovalId)}/decision`,
      body: { version: ids.openApprovalVersion, step: chain[0]!.step, decision: 'approve', comment: 'Đồng ý (bảng quyền)' },
      // Step 1 by its holder, then step 2 by its own (the deputy), each with the body of its step.
      allowed: [
        [chain[0]!.unit === people.deputy.unit ? 'deputy' : 'office', 200],
        [chain[1]!.unit === people.deputy.unit ? 'deputy' : 'office', 200, { version: ids.openApprovalVersion, step: chain[1]!.step, decision: 'approve', comment: 'Đồng ý (bảng quyền)' }],
      ],
      forbidden: ['anonymous', 'lead', 'otherUnit', 'auditor', 'outsider'],
    },
    {
      name: 'POST /api/plans (upload)',
      path: '/api/plans',
      body: { definition: planText.replace(/^(\s+)code: \S+$/m, `$1code: AUTHZ-${randomUUID().slice(0, 8).toUpperCase()}`) },
      allowed: [['office', 201]],
      forbidden: everyoneBut('office'),
    },
  ];
  const cells: AuthzCell[] = [];
  const send = async (row: AuthzRow, caller: Caller, expected: number, body: unknown) => {
    const p = caller === 'anonymous' ? undefined : who[caller];
    const res = await request(baseUrl, { method: 'POST', path: row.path, body, token: p?.token, localAddress: p?.address, headers: { 'idempotency-key': randomUUID() }, timeoutMs: 30_000 });
    const ok = res.status === expected;
    cells.push({ row: row.name, caller, expected, status: res.status, ok, body: ok ? undefined : res.text.slice(0, 200) });
  };
  for (const row of rows) {
    for (const caller of row.forbidden) await send(row, caller, caller === 'anonymous' ? 401 : 403, row.body);
    for (const [caller, status, body] of row.allowed) await send(row, caller, status, body ?? row.body);
  }
  return cells;
}
