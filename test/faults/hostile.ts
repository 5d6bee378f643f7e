import type { AssignmentSpec, AssignmentState } from '@dieu-hanh/domain/assignment';
import { buildHostileCorpus, isRightRefusal, openWebSession, type HostileCase, type HostileOutcome, type HostileTarget } from '../support/hostile-corpus';
import { loopbackAddress, request } from './http-client';
import { PASSWORD, type People, type Person } from './people';

export { buildHostileCorpus, isRightRefusal, type HostileCase, type HostileOutcome, type HostileTarget };

/**
 * The assignments the hostile corpus aims at, set aside from the people's load so that their
 * state is the one the corpus expects (ids with ':probe:'): `open` stays open for its first
 * submission, `awaiting` gets a version sent back and a second one waiting on step 1 with an
 * extension pending, `unlaunched` is left out of the launch.
 */
export interface HostileReserve {
  open: string;
  awaiting: string;
  unlaunched: string;
}

/** Two drafting assignments of one unit whose chain starts with a step the suite's people hold, and a third one. */
export function reserveForHostile(specs: AssignmentSpec[]): HostileReserve {
  const drafting = specs.filter((s) => s.kind === 'drafting' && s.approvalChain?.length);
  const byUnit = new Map<string, AssignmentSpec[]>();
  for (const s of drafting) byUnit.set(s.leadUnit, [...(byUnit.get(s.leadUnit) ?? []), s]);
  const pair = [...byUnit.values()].find((xs) => xs.length >= 2);
  if (!pair) throw new Error('the fault plan has no unit with two drafting assignments under an approval chain');
  const unlaunched = specs.find((s) => s.kind === 'drafting' && s.id !== pair[0]!.id && s.id !== pair[1]!.id);
  if (!unlaunched) throw new Error('the fault plan has no third drafting assignment');
  return { open: pair[0]!.id, awaiting: pair[1]!.id, unlaunched: unlaunched.id };
}

export interface HostileSetup {
  baseUrl: string;
  people: People;
  /** The unit head / drafter of the reserved assignments' unit. */
  lead: Person;
  /** An account used only by the login cases (they spend its allowance). */
  loginUsername: string;
  planId: string;
  planKey: string;
  planText: string;
  /** Real ids of the reserve. */
  reserve: HostileReserve;
  specs: Map<string, AssignmentSpec>;
  /** The assignment's live state (a workflow query). */
  assignmentState(id: string): Promise<AssignmentState>;
}

/**
 * Brings the reserve into the state the corpus expects, through the API as people would, and
 * returns the corpus's target. Runs before the "before" snapshot: these writes are not bad input.
 */
export async function prepareHostileTarget(s: HostileSetup): Promise<HostileTarget> {
  const { baseUrl, people, lead } = s;
  const office = people.office;
  const call = async (who: Person, method: string, path: string, body?: unknown) =>
    request(baseUrl, { method, path, body, token: who.token, localAddress: who.address, timeoutMs: 30_000 });
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await probe().catch(() => undefined);
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`hostile setup: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  const must = (what: string, res: { status: number; text: string }, status: number) => {
    if (res.status !== status) throw new Error(`hostile setup: ${what}: ${res.status} ${res.text.slice(0, 300)}`);
  };
  const enc = encodeURIComponent;
  const awaiting = s.reserve.awaiting;
  const chain = s.specs.get(awaiting)!.approvalChain!;
  const step1 = chain[0]!;
  const approver = step1.unit === people.deputy.unit ? people.deputy : office;

  const v1 = await call(lead, 'POST', `/api/assignments/${enc(awaiting)}/drafts`, { version: 1, text: 'Dự thảo lần 1 (thử nghiệm đầu vào xấu)', attachments: [] });
  must('version 1', v1, 201);
  const closedApprovalId = v1.body.approvalId as string;
  await until('approval v1 in the read model', async () => ((await call(approver, 'GET', `/api/approvals/${enc(closedApprovalId)}`)).status === 200 ? true : undefined));
  must(
    'version 1 sent back',
    await call(approver, 'POST', `/api/approvals/${enc(closedApprovalId)}/decision`, { version: 1, step: step1.step, decision: 'request-changes', comment: 'Bổ sung số liệu' }),
    200,
  );
  // From the workflow itself: the read model may still show 'open' from before version 1.
  await until('the assignment reopened', async () => {
    const state = await s.assignmentState(awaiting);
    return state.lifecycle === 'open' && state.submissions.length === 1 ? true : undefined;
  });
  const v2 = await call(lead, 'POST', `/api/assignments/${enc(awaiting)}/drafts`, { version: 2, text: 'Dự thảo lần 2 (thử nghiệm đầu vào xấu)', attachments: [] });
  must('version 2', v2, 201);
  const openApprovalId = v2.body.approvalId as string;
  await until('approval v2 in the read model', async () => ((await call(approver, 'GET', `/api/approvals/${enc(openApprovalId)}`)).status === 200 ? true : undefined));
  const deadline = (await call(lead, 'GET', `/api/assignments/${enc(awaiting)}`)).body.effectiveDeadline as string;
  const proposed = new Date(Date.parse(`${deadline}T00:00:00Z`) + 60 * 86_400_000).toISOString().slice(0, 10);
  const ext = await call(lead, 'POST', `/api/assignments/${enc(awaiting)}/extension-requests`, { reason: 'Chờ ý kiến các sở', proposedDate: proposed });
  must('extension request', ext, 201);
  const requestId = ext.body.requestId as string;
  await until('the extension request listed', async () =>
    ((await call(office, 'GET', '/api/extension-requests')).body as { requestId: string }[]).some((x) => x.requestId === requestId) ? true : undefined,
  );
  const openDeadline = await until('the open assignment in the read model', async () => (await call(lead, 'GET', `/api/assignments/${enc(s.reserve.open)}`)).body?.effectiveDeadline as string | undefined);

  return {
    baseUrl,
    // One account may hold several roles here; each token still carries the roles its endpoints need.
    tokens: { drafter: lead.token!, unitHead: lead.token!, approver: approver.token!, office: office.token!, administrator: office.token! },
    web: await openWebSession(baseUrl, lead.username, PASSWORD),
    readerWeb: await openWebSession(baseUrl, office.username, PASSWORD),
    officeWeb: await openWebSession(baseUrl, office.username, PASSWORD),
    login: { username: s.loginUsername, password: PASSWORD },
    delegateUsername: people.deputy.username,
    ids: {
      planId: s.planId,
      planKey: s.planKey,
      planText: s.planText,
      unlaunchedAssignmentId: s.reserve.unlaunched,
      openAssignmentId: s.reserve.open,
      openAssignmentDeadline: openDeadline,
      awaitingAssignmentId: awaiting,
      openApprovalId,
      openApprovalVersion: 2,
      openApprovalStep: step1.step,
      closedApprovalId,
      pendingExtensionRequestId: requestId,
    },
  };
}

/** The suite's bound for "hung": an answer must come within this (the huge bodies get the corpus's longer bound). */
export const HUNG_AFTER_MS = 10_000;

/**
 * Sends the corpus `concurrency` at a time through the suite's HTTP client (raw bytes, a hard
 * timeout), each from its own loopback address as many clients would, and returns outcomes the
 * corpus's `isRightRefusal` understands.
 */
export async function sendCorpus(baseUrl: string, cases: HostileCase[], concurrency = 4): Promise<HostileOutcome[]> {
  const outcomes: HostileOutcome[] = new Array(cases.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i]!;
        const res = await request(baseUrl, {
          method: c.method,
          path: c.path,
          headers: c.headers,
          body: c.body,
          localAddress: loopbackAddress(1000 + (i % 200)),
          timeoutMs: Math.max(HUNG_AFTER_MS, c.timeoutMs ?? 0),
        });
        const status: HostileOutcome['status'] = res.status ? res.status : res.error === 'timeout' ? 'hung' : 'network-error';
        outcomes[i] = { case: c, status, ms: Math.round(res.ms), body: res.text.slice(0, 100_000) };
      }
    }),
  );
  return outcomes;
}
