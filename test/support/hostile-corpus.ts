import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';

/**
 * A corpus of hostile requests over every write endpoint of the API, the web forms and the
 * plan upload (plus the query strings that take dates and booleans): control characters and
 * lone surrogates in each string field, path and query value; huge and deeply nested bodies;
 * bodies of the wrong JSON type; unknown, broken and mislabelled encodings and content types;
 * impossible dates; wrong types; unknown and forged ids.
 *
 * Every request in it must be refused with a 4xx, promptly, and change nothing. The base body
 * of each endpoint is a VALID one, and each case spoils exactly one thing about it, so a case
 * that is not refused shows up as a write (a row or a workflow), not only as a status.
 *
 * Usable against any running API: give it a base URL, tokens, a web session and the ids of a
 * launched plan (see HostileTarget). Used by test/api/hostile-input.int.spec.ts and the fault suite.
 */

export interface HostileTarget {
  baseUrl: string;
  /** Bearer tokens, each with the roles its endpoints need, so the input checks are what answers. */
  tokens: {
    /** drafter of the lead unit of `openAssignmentId` */
    drafter: string;
    /** unit head of the same unit */
    unitHead: string;
    /** approver who holds the open step of `openApprovalId` */
    approver: string;
    /** standing-office of the plan */
    office: string;
    administrator: string;
  };
  /** A web session (Cookie header) and its CSRF token, of a person who may post the assignment and plan forms. */
  web: { cookie: string; csrf: string };
  /** A web session of a person who may read the monthly report (standing office, approver, auditor). */
  readerWeb: { cookie: string };
  /** A web session and its CSRF token of the plan's Standing Office, who may post the plan forms (import, launch, close). */
  officeWeb: { cookie: string; csrf: string };
  /** A real user's name and password (the login cases spoil them). */
  login: { username: string; password: string };
  /** Another active user, to whom a delegation could be given. */
  delegateUsername: string;
  ids: {
    /** A launched plan (uuid) and its key. */
    planId: string;
    planKey: string;
    /** The plan file it was imported from (the upload cases spoil it; each under a fresh code). */
    planText: string;
    /** An assignment of that plan not launched (for the launch cases). */
    unlaunchedAssignmentId: string;
    /** A drafting assignment open for its first submission. */
    openAssignmentId: string;
    /** Its deadline in force, yyyy-mm-dd (an extension must be later). */
    openAssignmentDeadline: string;
    /** A drafting assignment waiting on `openApprovalId`, with a pending extension request. */
    awaitingAssignmentId: string;
    openApprovalId: string;
    openApprovalVersion: number;
    openApprovalStep: string;
    /** An approval that is closed (its version was sent back), for the 409 APPROVAL_CLOSED case. */
    closedApprovalId: string;
    pendingExtensionRequestId: string;
  };
}

export interface HostileCase {
  /** `POST /api/assignments/{id}/drafts: text with NUL`. */
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The statuses that are right for this case; any 4xx when absent. */
  expect?: number[];
  /** The answer's `reason` when it must be that one (e.g. APPROVAL_CLOSED). */
  reason?: string;
  /** A longer bound for the huge bodies. */
  timeoutMs?: number;
}

export interface HostileOutcome {
  case: HostileCase;
  /** The HTTP status, or `hung` (no answer in time), or `network-error`. */
  status: number | 'hung' | 'network-error';
  ms: number;
  /** The answer (at most 100,000 characters). */
  body: string;
}

const MB = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 5_000;
// Generous: the bound is for hangs, and test machines run several suites at once.
const HUGE_TIMEOUT_MS = 30_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Control characters and lone surrogates, as they arrive in a JSON string. */
const UNSAFE_STRINGS: [string, string][] = [
  ['NUL', 'abc\u0000def'],
  ['NUL alone', '\u0000'],
  ['SOH', 'abc\u0001def'],
  ['BS', 'abc\bdef'],
  ['ESC (terminal escape)', '\u001b[31mđỏ\u001b[0m'],
  ['DEL', 'abc\u007fdef'],
  ['US', 'abc\u001fdef'],
  ['lone high surrogate', 'Dự thảo \ud800'],
  ['lone low surrogate', '\udfffDự thảo'],
  ['reversed surrogate pair', 'x\udc00\ud800y'],
];
/** What only one-line values refuse (ids, names, dates). */
const ONE_LINE_ONLY: [string, string][] = [
  ['line feed', 'abc\ndef'],
  ['tab', 'abc\tdef'],
];
/** Control characters as a form posts them (a form cannot carry a lone surrogate: UTF-8 has none). */
const UNSAFE_FORM_VALUES: [string, string][] = [
  ['NUL', 'abc\u0000def'],
  ['SOH', 'abc\u0001def'],
  ['ESC', '\u001b[31mđỏ'],
  ['DEL', 'abc\u007f'],
];
const BAD_DATES = ['2020-02-31', '2021-02-29', '2020-13-01', '2020-00-10', '31/01/2020', '2020-1-5', '2020-01-05T00:00:00Z', '0000-01-01', '2020-W01-1', ''];
const FREE_TEXT = new Set(['text', 'comment', 'reason', 'difficulties', 'definition']);

const enc = encodeURIComponent;
const jsonBytes = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

function setAt(base: Json, path: Path, value: Json): Json {
  const copy = structuredClone(base) as Record<string | number, Json>;
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[path[path.length - 1]] = value;
  return copy as Json;
}

const pathName = (path: Path) => path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');

function nested(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

function urlencode(fields: Record<string, string | string[]>): string {
  return Object.entries(fields)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((item) => `${enc(k)}=${enc(item)}`))
    .join('&');
}

interface JsonEndpoint {
  name: string;
  path: (t: HostileTarget) => string;
  token: (t: HostileTarget) => string;
  body: (t: HostileTarget) => Json;
  strings: Path[];
  dates?: Path[];
  /** Fields that must be numbers / booleans / arrays / objects. */
  typed?: Path[];
  /** The field a megabyte of text goes into. */
  big: Path;
  /** Spoiled path ids: [case name, id, statuses]. */
  ids?: (t: HostileTarget) => [string, string, number[]][];
  /** The limit a 6 MB body hits (the plan upload takes more). */
  sixMegabytes?: number[];
  /** Rate-limited (login: 10 a minute), so 429 is a right answer too. */
  throttled?: boolean;
}

interface FormEndpoint {
  name: string;
  /** Rate-limited (login: 10 a minute), so 429 is a right answer too. */
  throttled?: boolean;
  path: (t: HostileTarget) => string;
  fields: (t: HostileTarget) => Record<string, string | string[]>;
  strings: string[];
  big: string;
  /** What a megabyte in `big` gets; 400 when absent (a form without fields of its own puts it in the CSRF token: 403). */
  bigStatuses?: number[];
  ids?: (t: HostileTarget) => [string, string, number[]][];
  /** The session that posts it; the drafter's (`web`) when absent. */
  session?: (t: HostileTarget) => { cookie: string; csrf: string };
}

const A = (id: string) => enc(id);
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
/** The seed's obligation that units open when they need one (III.4, khi cần thiết). */
const ON_DEMAND_OBLIGATION = 'III.4';

/** The API's write endpoints, each with a valid body. */
function jsonEndpoints(): JsonEndpoint[] {
  const futureDate = (t: HostileTarget, days: number) => {
    const d = new Date(`${t.ids.openAssignmentDeadline}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };
  const today = () => new Date().toISOString().slice(0, 10);
  const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const assignmentIds = (t: HostileTarget): [string, string, number[]][] => [
    ['unknown assignment id', 'drafting:KHONG-CO@v1:FT1:KHONG-CO', [404]],
    ['forged plan workflow id as assignment id', `plan:${t.ids.planKey}`, [404]],
    ['approval id as assignment id', t.ids.openApprovalId, [404]],
    ['assignment id 2,000 characters long', 'x'.repeat(2000), [404]],
  ];
  const planIds: [string, string, number[]][] = [
    ['unknown plan uuid', UNKNOWN_UUID, [404]],
    ['plan id not a uuid', 'not-a-uuid', [400]],
    ['forged plan workflow id', 'plan:TV-BTV-2020@v1', [400]],
  ];
  return [
    {
      name: 'POST /api/auth/login',
      path: () => '/api/auth/login',
      token: () => '',
      body: (t) => ({ username: t.login.username, password: t.login.password }),
      strings: [['username'], ['password']],
      big: ['username'],
      throttled: true,
    },
    {
      name: 'POST /api/plans (upload)',
      path: () => '/api/plans',
      token: (t) => t.tokens.administrator,
      body: (t) => ({ definition: freshPlanText(t.ids.planText) }),
      strings: [['definition']],
      big: ['definition'],
      sixMegabytes: [400],
    },
    {
      name: 'POST /api/plans/{id}/launch',
      path: (t) => `/api/plans/${t.ids.planId}/launch`,
      token: (t) => t.tokens.administrator,
      body: (t) => ({ assignments: [t.ids.unlaunchedAssignmentId] }),
      strings: [['assignments', 0]],
      typed: [['assignments']],
      big: ['assignments', 0],
      ids: () => planIds,
    },
    {
      name: 'POST /api/plans/{id}/close',
      path: (t) => `/api/plans/${t.ids.planId}/close`,
      token: (t) => t.tokens.administrator,
      body: () => ({ reason: 'Kế hoạch được thay thế bởi Kế hoạch số 99-KH/TU' }),
      strings: [['reason']],
      big: ['reason'],
      ids: () => planIds,
    },
    {
      name: 'POST /api/plans/{id}/deadline-shift',
      path: (t) => `/api/plans/${t.ids.planId}/deadline-shift`,
      token: (t) => t.tokens.office,
      body: (t) => ({ date: futureDate(t, 14), reason: 'Theo Thông báo số 12-TB/TU' }),
      strings: [['reason'], ['date']],
      dates: [['date']],
      big: ['reason'],
      ids: () => planIds,
    },
    {
      name: 'POST /api/assignments/{id}/drafts',
      path: (t) => `/api/assignments/${A(t.ids.openAssignmentId)}/drafts`,
      token: (t) => t.tokens.drafter,
      body: () => ({ version: 1, text: 'Dự thảo kế hoạch chi tiết', attachments: [{ name: 'du-thao.docx', ref: 'vbdh://2020/01/1234' }] }),
      strings: [['text'], ['attachments', 0, 'name'], ['attachments', 0, 'ref']],
      typed: [['version'], ['attachments'], ['attachments', 0]],
      big: ['text'],
      ids: assignmentIds,
    },
    {
      name: 'POST /api/assignments/{id}/reports',
      path: (t) => `/api/assignments/${A(t.ids.openAssignmentId)}/reports`,
      token: (t) => t.tokens.drafter,
      body: () => ({ version: 1, text: 'Báo cáo tháng', attachments: [], cites: '12-KH/TU', difficulties: 'Thiếu kinh phí' }),
      strings: [['text'], ['cites'], ['difficulties']],
      typed: [['version'], ['attachments']],
      big: ['difficulties'],
      ids: assignmentIds,
    },
    {
      name: 'POST /api/assignments/{id}/extension-requests',
      path: (t) => `/api/assignments/${A(t.ids.openAssignmentId)}/extension-requests`,
      token: (t) => t.tokens.unitHead,
      body: (t) => ({ reason: 'Chờ số liệu của các sở', proposedDate: futureDate(t, 30) }),
      strings: [['reason'], ['proposedDate']],
      dates: [['proposedDate']],
      big: ['reason'],
      ids: assignmentIds,
    },
    {
      // The open assignment (II.2.a) has no coordinating unit, so even this body is refused: the
      // cases still show that nothing a spoilt field carries gets past the edge.
      name: 'POST /api/assignments/{id}/comment-requests',
      path: (t) => `/api/assignments/${A(t.ids.openAssignmentId)}/comment-requests`,
      token: (t) => t.tokens.drafter,
      body: () => ({ units: ['BTC-TU'], question: 'Đề nghị góp ý dự thảo kế hoạch', workingDays: 5 }),
      strings: [['units', 0], ['question']],
      typed: [['units'], ['workingDays']],
      big: ['question'],
      ids: assignmentIds,
    },
    {
      name: 'POST /api/assignments/{id}/comments',
      path: (t) => `/api/assignments/${A(t.ids.openAssignmentId)}/comments`,
      token: (t) => t.tokens.drafter,
      body: () => ({ requestId: `cmt-${randomUUID()}`, text: 'Thống nhất với dự thảo' }),
      strings: [['requestId'], ['text']],
      typed: [['requestId'], ['text']],
      big: ['text'],
      ids: assignmentIds,
    },
    {
      // The open assignment reported no difficulty: a valid body meets the workflow's 404; hostile ones stop at the edge.
      name: 'POST /api/assignments/{id}/difficulty-answers',
      path: (t) => `/api/assignments/${A(t.ids.openAssignmentId)}/difficulty-answers`,
      token: (t) => t.tokens.office,
      body: () => ({ version: 1, text: 'Giao Sở Tài chính bố trí kinh phí' }),
      strings: [['text']],
      typed: [['version']],
      big: ['text'],
      ids: assignmentIds,
    },
    {
      name: 'POST /api/extension-requests/{id}/decision',
      path: (t) => `/api/extension-requests/${A(t.ids.pendingExtensionRequestId)}/decision`,
      token: (t) => t.tokens.office,
      body: () => ({ granted: false, comment: 'Không đồng ý: đủ thời gian' }),
      strings: [['comment']],
      typed: [['granted']],
      big: ['comment'],
      ids: () => [
        ['unknown extension request', `ext-${randomUUID()}`, [404]],
        ['assignment id as extension request', 'drafting:X@v1:FT1:Y', [404]],
      ],
    },
    {
      name: 'POST /api/extension-requests/{id}/decision (grant to a date)',
      path: (t) => `/api/extension-requests/${A(t.ids.pendingExtensionRequestId)}/decision`,
      token: (t) => t.tokens.office,
      body: (t) => ({ granted: true, comment: 'Đồng ý', date: futureDate(t, 20) }),
      strings: [['date']],
      dates: [['date']],
      big: ['comment'],
    },
    {
      name: 'POST /api/approvals/{id}/decision',
      path: (t) => `/api/approvals/${A(t.ids.openApprovalId)}/decision`,
      token: (t) => t.tokens.approver,
      body: (t) => ({ version: t.ids.openApprovalVersion, step: t.ids.openApprovalStep, decision: 'request-changes', comment: 'Đề nghị bổ sung số liệu' }),
      strings: [['step'], ['comment'], ['decision']],
      typed: [['version']],
      big: ['comment'],
      ids: (t) => [
        ['forged approval id (version 99)', `approval:${t.ids.awaitingAssignmentId}:v99`, [404]],
        ['assignment id as approval id', t.ids.awaitingAssignmentId, [404]],
        ['forged plan workflow id as approval id', `plan:${t.ids.planKey}`, [404]],
      ],
    },
    {
      name: 'POST /api/plans/{id}/amendment',
      path: (t) => `/api/plans/${t.ids.planId}/amendment`,
      token: (t) => t.tokens.office,
      body: (t) => ({ reason: 'Điều chỉnh theo Kết luận số 5-KL/TU', inForce: t.ids.planKey }),
      strings: [['reason'], ['inForce']],
      big: ['reason'],
      ids: () => planIds,
    },
    {
      name: 'POST /api/plans/{id}/launch-more',
      path: (t) => `/api/plans/${t.ids.planId}/launch-more`,
      token: (t) => t.tokens.administrator,
      body: (t) => ({ assignments: [t.ids.unlaunchedAssignmentId], tasks: ['FT1'] }),
      strings: [['assignments', 0], ['tasks', 0]],
      typed: [['assignments'], ['tasks']],
      big: ['assignments', 0],
      ids: () => planIds,
    },
    {
      name: 'POST /api/plans/{id}/available-obligations/{obligation}/assignments',
      path: (t) => `/api/plans/${t.ids.planId}/available-obligations/${A(ON_DEMAND_OBLIGATION)}/assignments`,
      token: (t) => t.tokens.drafter,
      body: () => ({ subject: 'Cơ chế hỗ trợ doanh nghiệp khởi nghiệp sáng tạo', targetDate: daysFromToday(60) }),
      strings: [['subject'], ['targetDate']],
      dates: [['targetDate']],
      big: ['subject'],
      ids: () => planIds,
    },
    {
      name: 'POST /api/webhooks',
      path: () => '/api/webhooks',
      token: (t) => t.tokens.administrator,
      body: () => ({ url: 'https://eoffice.travinh.gov.vn/hooks/dieu-hanh', secret: 'mot-khoa-bi-mat-du-dai-32-ky-tu-tro-len', eventTypes: ['draft.submitted'], units: ['BTG-TU'] }),
      strings: [['url'], ['secret'], ['eventTypes', 0], ['units', 0]],
      typed: [['eventTypes'], ['units']],
      big: ['secret'],
    },
    {
      name: 'POST /api/delegations',
      path: () => '/api/delegations',
      token: (t) => t.tokens.approver,
      body: (t) => ({ toUsername: t.delegateUsername, validFrom: today(), validTo: daysFromToday(7), reason: 'Đi công tác' }),
      strings: [['toUsername'], ['validFrom'], ['validTo'], ['reason']],
      dates: [['validFrom'], ['validTo']],
      big: ['reason'],
    },
  ];
}

/** The web forms, each with valid fields (the CSRF token added by the builder). */
function formEndpoints(): FormEndpoint[] {
  const assignmentIds = (t: HostileTarget): [string, string, number[]][] => [
    ['unknown assignment id', 'drafting:KHONG-CO@v1:FT1:KHONG-CO', [400, 404]],
    ['forged plan workflow id', `plan:${t.ids.planKey}`, [400, 404]],
  ];
  return [
    {
      name: 'POST /login (form)',
      path: () => '/login',
      fields: (t) => ({ username: t.login.username, password: t.login.password, next: '/' }),
      strings: ['username', 'password', 'next'],
      big: 'username',
      throttled: true,
    },
    {
      name: 'POST /assignments/{id}/submissions (form)',
      path: (t) => `/assignments/${A(t.ids.openAssignmentId)}/submissions`,
      fields: () => ({ version: '1', text: 'Dự thảo kế hoạch chi tiết', attachmentName: ['du-thao.docx'], attachmentRef: ['vbdh://2020/01/1234'], cites: '', difficulties: '' }),
      strings: ['text', 'attachmentName', 'attachmentRef', 'cites', 'difficulties'],
      big: 'text',
      ids: assignmentIds,
    },
    {
      name: 'POST /assignments/{id}/decision (form)',
      path: (t) => `/assignments/${A(t.ids.awaitingAssignmentId)}/decision`,
      fields: (t) => ({ approvalId: t.ids.openApprovalId, version: String(t.ids.openApprovalVersion), step: t.ids.openApprovalStep, decision: 'request-changes', comment: 'Đề nghị bổ sung' }),
      strings: ['approvalId', 'step', 'comment'],
      big: 'comment',
      ids: assignmentIds,
    },
    {
      name: 'POST /assignments/{id}/extension-requests (form)',
      path: (t) => `/assignments/${A(t.ids.openAssignmentId)}/extension-requests`,
      fields: () => ({ reason: 'Chờ số liệu của các sở', proposedDate: '31/12/2099' }),
      strings: ['reason', 'proposedDate'],
      big: 'reason',
      ids: assignmentIds,
    },
    {
      name: 'POST /assignments/{id}/difficulty-answer (form)',
      path: (t) => `/assignments/${A(t.ids.openAssignmentId)}/difficulty-answer`,
      fields: () => ({ version: '1', text: 'Giao Sở Tài chính bố trí kinh phí' }),
      strings: ['text'],
      big: 'text',
      ids: assignmentIds,
    },
    {
      name: 'POST /assignments/{id}/comment-requests (form)',
      path: (t) => `/assignments/${A(t.ids.openAssignmentId)}/comment-requests`,
      fields: () => ({ units: ['BTC-TU'], question: 'Đề nghị góp ý dự thảo kế hoạch', workingDays: '5' }),
      strings: ['units', 'question', 'workingDays'],
      big: 'question',
      ids: assignmentIds,
    },
    {
      name: 'POST /assignments/{id}/comments (form)',
      path: (t) => `/assignments/${A(t.ids.openAssignmentId)}/comments`,
      fields: () => ({ requestId: 'cmt-khong-co', text: 'Thống nhất với dự thảo' }),
      strings: ['requestId', 'text'],
      big: 'text',
      ids: assignmentIds,
    },
    {
      name: 'POST /assignments/{id}/extension-decision (form)',
      path: (t) => `/assignments/${A(t.ids.awaitingAssignmentId)}/extension-decision`,
      fields: (t) => ({ assignmentId: t.ids.awaitingAssignmentId, requestId: t.ids.pendingExtensionRequestId, decision: 'refuse', comment: 'Không đồng ý', date: '' }),
      strings: ['assignmentId', 'requestId', 'comment', 'date'],
      big: 'comment',
      ids: assignmentIds,
    },
    {
      name: 'POST /plans/{id}/extension-decisions (form)',
      path: (t) => `/plans/${t.ids.planId}/extension-decisions`,
      fields: (t) => ({ assignmentId: t.ids.awaitingAssignmentId, requestId: t.ids.pendingExtensionRequestId, decision: 'refuse', comment: 'Không đồng ý', date: '' }),
      strings: ['assignmentId', 'requestId', 'comment', 'date'],
      big: 'comment',
      ids: () => [
        ['unknown plan uuid', UNKNOWN_UUID, [404]],
        ['plan id not a uuid', 'not-a-uuid', [400]],
      ],
    },
  ];
}

/**
 * The Standing Office's plan forms (web/plans/). The launch forms carry only the CSRF token, so
 * their control characters and megabytes go there. A launch-more that went through would start
 * the unlaunched assignment's workflow, an import a plan version, a close would cancel the plan's
 * assignments: close comes last, so that even then the cases before it ran against an open plan.
 */
function planFormEndpoints(): FormEndpoint[] {
  const office = (t: HostileTarget) => t.officeWeb;
  const planIds = (): [string, string, number[]][] => [
    ['unknown plan uuid', UNKNOWN_UUID, [404]],
    ['plan id not a uuid', 'not-a-uuid', [400]],
    ['plan id is a plan key', 'KH-KHONG-CO', [400]],
  ];
  return [
    {
      name: 'POST /plans/import (form)',
      path: () => '/plans/import',
      fields: (t) => ({ definition: freshPlanText(t.ids.planText) }),
      strings: ['definition'],
      big: 'definition',
      session: office,
    },
    ...(['launch', 'launch-more'] as const).map(
      (action): FormEndpoint => ({
        name: `POST /plans/{id}/${action} (form)`,
        path: (t) => `/plans/${t.ids.planId}/${action}`,
        fields: () => ({}),
        strings: ['_csrf'],
        big: '_csrf',
        bigStatuses: [403],
        ids: planIds,
        session: office,
      }),
    ),
    {
      name: 'POST /plans/{id}/close (form)',
      path: (t) => `/plans/${t.ids.planId}/close`,
      fields: () => ({ reason: 'Kết thúc kế hoạch (thử nghiệm đầu vào xấu)' }),
      strings: ['_csrf', 'reason'],
      big: 'reason',
      ids: planIds,
      session: office,
    },
  ];
}

/** The plan file under a fresh code, so that a case that is not refused shows as a new plan version. */
function freshPlanText(planText: string): string {
  const code = `HOSTILE-${randomUUID().slice(0, 8).toUpperCase()}`;
  const text = planText.replace(/^(\s+)code: \S+$/m, `$1code: ${code}`);
  if (text === planText) throw new Error('the plan text has no plan code line to replace');
  return text;
}

let bombs: { small: Buffer; large: Buffer } | undefined;
/** Gzip bodies that inflate past the limits (a JSON string of spaces: 8 MB and 24 MB). */
function gzipBombs() {
  bombs ??= {
    small: gzipSync(Buffer.from(`{"text":"${' '.repeat(8 * MB)}"}`)),
    large: gzipSync(Buffer.from(`{"definition":"${' '.repeat(24 * MB)}"}`)),
  };
  return bombs;
}

/** Builds the whole corpus for `t`. */
export function buildHostileCorpus(t: HostileTarget): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const e of jsonEndpoints()) cases.push(...jsonCases(t, e));
  cases.push(...planUploadCases(t));
  cases.push(...bodilessCases(t));
  cases.push(...onDemandObligationCases(t));
  cases.push(...historyImportCases(t));
  cases.push(...uploadCases(t));
  cases.push(...closedApprovalCases(t));
  cases.push(...queryCases(t));
  for (const f of formEndpoints()) cases.push(...formCases(t, f));
  for (const f of planFormEndpoints()) cases.push(...formCases(t, f));
  // Last: a logout that went through would end the session the form cases use.
  cases.push(...logoutCases(t));
  return cases;
}

function jsonCases(t: HostileTarget, e: JsonEndpoint): HostileCase[] {
  const base = e.body(t);
  const token = e.token(t);
  const headers = (extra: Record<string, string> = {}) => ({
    'content-type': 'application/json',
    accept: 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  });
  const path = e.path(t);
  const c = (name: string, body: Buffer | undefined, expect?: number[], extra: Partial<HostileCase> = {}, h?: Record<string, string>): HostileCase => ({
    name: `${e.name}: ${name}`,
    method: 'POST',
    path,
    headers: h ?? headers(),
    body,
    expect: expect && e.throttled ? [...expect, 429] : expect,
    ...extra,
  });
  const out: HostileCase[] = [];

  for (const field of e.strings) {
    const leaf = String(field[field.length - 1]);
    const variants = FREE_TEXT.has(leaf) ? UNSAFE_STRINGS : [...UNSAFE_STRINGS, ...ONE_LINE_ONLY];
    for (const [label, value] of variants) out.push(c(`${pathName(field)} with ${label}`, jsonBytes(setAt(base, field, value)), [400]));
  }
  for (const field of e.dates ?? []) {
    for (const bad of BAD_DATES) out.push(c(`${pathName(field)} = ${JSON.stringify(bad)}`, jsonBytes(setAt(base, field, bad)), [400]));
  }
  for (const field of [...e.strings, ...(e.typed ?? [])]) {
    const current = field.reduce<Json>((node, k) => (node as Record<string | number, Json>)[k], base);
    const wrong: [string, Json][] =
      typeof current === 'string'
        ? [['a number', 12345], ['an object', { $ne: null }], ['an array', [String(current)]]]
        : typeof current === 'number'
          ? [['a string', String(current)], ['a fraction', current + 0.5], ['negative', -1], ['huge', 1e308]]
          : typeof current === 'boolean'
            ? [['the string "yes"', 'yes'], ['the string "false"', 'false'], ['1', 1]]
            : Array.isArray(current)
              ? [['an object', { 0: 'x' }], ['a string', 'x']]
              : [['an array', [current]], ['a string', 'x']];
    for (const [label, value] of wrong) out.push(c(`${pathName(field)} as ${label}`, jsonBytes(setAt(base, field, value)), [400]));
  }

  out.push(c('body is an array', jsonBytes([base]), [400]));
  out.push(c('body is an empty array', jsonBytes([]), [400]));
  out.push(c('body is a string', jsonBytes('xin chào'), [400]));
  out.push(c('body is a number', jsonBytes(42), [400]));
  out.push(c('body is null', Buffer.from('null'), [400]));
  out.push(c('body is true', Buffer.from('true'), [400]));
  out.push(c('invalid JSON', Buffer.from('{"a":'), [400]));
  out.push(c('raw NUL byte inside a JSON string', Buffer.concat([Buffer.from('{"x":"a'), Buffer.from([0]), Buffer.from('b"}')]), [400]));
  out.push(c('invalid UTF-8 in JSON', Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]), [400]));
  out.push(c('JSON nested 5,000 deep', Buffer.from(`{"x":${nested(5000)}}`), [400]));
  out.push(c(`${pathName(e.big)} nested 5,000 deep`, Buffer.from(JSON.stringify(setAt(base, e.big, '<deep>')).replace('"<deep>"', nested(5000))), [400]));
  out.push(c('JSON nested 100,000 deep', Buffer.from(nested(100_000)), [400]));
  out.push(c('an unknown field', jsonBytes({ ...(base as object), isAdmin: true }), [400]));
  out.push(c('__proto__ key', Buffer.from(JSON.stringify(base).replace(/^\{/, '{"__proto__":{"isAdmin":true},')), [400]));
  out.push(c(`1 MB in ${pathName(e.big)}`, jsonBytes(setAt(base, e.big, 'x'.repeat(MB))), [400]));
  out.push(c(`6 MB in ${pathName(e.big)}`, jsonBytes(setAt(base, e.big, 'x'.repeat(6 * MB))), e.sixMegabytes ?? [413], { timeoutMs: HUGE_TIMEOUT_MS }));
  out.push(c('Content-Encoding: x-garbage', jsonBytes(base), [415], {}, headers({ 'content-encoding': 'x-garbage' })));
  out.push(c('Content-Encoding: gzip, gzip', jsonBytes(base), [415], {}, headers({ 'content-encoding': 'gzip, gzip' })));
  out.push(c('Content-Encoding: compress', jsonBytes(base), [415], {}, headers({ 'content-encoding': 'compress' })));
  out.push(c('Content-Encoding: gzip, body is not gzip', jsonBytes(base), [400], {}, headers({ 'content-encoding': 'gzip' })));
  out.push(c('Content-Encoding: deflate, truncated', gzipSync(jsonBytes(base)).subarray(0, 12), [400], {}, headers({ 'content-encoding': 'deflate' })));
  out.push(c('Content-Encoding: gzip, truncated', gzipSync(jsonBytes(base)).subarray(0, 20), [400], {}, headers({ 'content-encoding': 'gzip' })));
  out.push(c('Content-Encoding: br, garbage', Buffer.from('not brotli at all'), [400], {}, headers({ 'content-encoding': 'br' })));
  out.push(c('gzip bomb (8 MB inflated)', gzipBombs().small, e.sixMegabytes ? [400] : [413], { timeoutMs: HUGE_TIMEOUT_MS }, headers({ 'content-encoding': 'gzip' })));
  out.push(c('Content-Type: text/plain', jsonBytes(base), [415], {}, headers({ 'content-type': 'text/plain' })));
  out.push(c('Content-Type: application/xml', Buffer.from('<a>1</a>'), [415], {}, headers({ 'content-type': 'application/xml' })));
  out.push(c('Content-Type: multipart/form-data', Buffer.from('--x\r\n\r\n--x--'), [415], {}, headers({ 'content-type': 'multipart/form-data; boundary=x' })));
  out.push(c('JSON with charset=utf-16', jsonBytes(base), [415], {}, headers({ 'content-type': 'application/json; charset=utf-16' })));
  const { 'content-type': _ct, ...noType } = headers();
  out.push(c('no Content-Type', jsonBytes(base), [415], {}, noType));

  for (const [label, id, statuses] of e.ids?.(t) ?? []) {
    out.push({ ...c(label, jsonBytes(base), statuses), path: path.replace(/(\/api\/[a-z-]+\/)[^/]+/, `$1${enc(id)}`) });
  }
  if (e.ids) {
    for (const [label, raw] of [
      ['NUL', '%00'],
      ['NUL inside', 'abc%00def'],
      ['SOH', '%01'],
      ['line feed', 'a%0Ab'],
      ['ESC', '%1B%5B31m'],
      ['encoded surrogate (invalid UTF-8)', '%ED%A0%80'],
      ['broken percent-encoding', '%FF%FE'],
      ['lone %', '%'],
    ] as const) {
      out.push({ ...c(`id with ${label}`, jsonBytes(base), [400]), path: path.replace(/(\/api\/[a-z-]+\/)[^/]+/, `$1${raw}`) });
    }
  }
  return out;
}

function planUploadCases(t: HostileTarget): HostileCase[] {
  const c = (name: string, definition: Json, expect = [400], extra: Partial<HostileCase> = {}): HostileCase => ({
    name: `POST /api/plans (upload): ${name}`,
    method: 'POST',
    path: '/api/plans',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tokens.administrator}` },
    body: jsonBytes({ definition }),
    expect,
    ...extra,
  });
  const plan = () => freshPlanText(t.ids.planText);
  const withCode = (code: string) => plan().replace(/^(\s+)code: \S+$/m, `$1code: ${code}`);
  const header = (line: string) => plan().replace(/^plan:\n/m, `plan:\n  ${line}\n`);
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  return [
    c('plan code of 10,000 characters', withCode('A'.repeat(10_000))),
    c('plan code of 65 characters', withCode('A'.repeat(65))),
    c('plan code with NUL (YAML escape)', withCode('"AB\\0CD"')),
    c('plan code with a space', withCode('"AB CD"')),
    c('a title with a YAML \\0 escape', plan().replace(/^(\s+)position: (.+)$/m, '$1position: "$2\\0"')),
    c('a title with a YAML \\x1b escape', plan().replace(/^(\s+)position: (.+)$/m, '$1position: "$2\\x1b[31m"')),
    c('a title with a YAML \\ud800 escape (lone surrogate)', plan().replace(/^(\s+)position: (.+)$/m, '$1position: "$2\\ud800"')),
    c('a raw NUL in the YAML', plan().replace('formatVersion: 1', 'formatVersion: 1\u0000')),
    c('a raw SOH in the YAML', plan().replace('formatVersion: 1', 'formatVersion: 1 # \u0001')),
    c('YAML nested 100,000 deep (flow)', `formatVersion: 1\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`),
    c('YAML nested 100,000 deep (compact block sequences)', `formatVersion: 1\nx:\n  ${'- '.repeat(100_000)}1\n`),
    c('YAML nested 100,000 deep (flow mappings)', `${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}`),
    c('YAML nested 40 deep (block mappings)', `${Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')} 1\n`),
    c('a billion laughs (aliases)', `${laughs.join('\n')}\n`),
    c('a definition of 5,000,001 characters', `# ${'x'.repeat(4_999_999)}`, [400], { timeoutMs: HUGE_TIMEOUT_MS }),
    c('a 17 MB body', 'x'.repeat(17 * MB), [413], { timeoutMs: HUGE_TIMEOUT_MS }),
    c('a plan date that does not exist', plan().replace(/^(\s+)date: 2020-01-02$/m, '$1date: 2020-02-31')),
    c('a plan date in year 0', plan().replace(/^(\s+)date: 2020-01-02$/m, '$1date: 0000-01-02')),
    c('an unknown key', header('hacked: true')),
    c('an empty definition', ''),
    c('a definition that is JSON, not a string', { formatVersion: 1 } as Json),
    c('a plan number of 10,000 characters with numberAssumed false', plan().replace(/^(\s+)number: \S+$/m, `$1number: ${'9'.repeat(10_000)}-KH/TU`).replace('numberAssumed: true', 'numberAssumed: false')),
    {
      name: 'POST /api/plans (upload): gzip bomb (24 MB inflated)',
      method: 'POST',
      path: '/api/plans',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${t.tokens.administrator}` },
      body: gzipBombs().large,
      expect: [413],
      timeoutMs: HUGE_TIMEOUT_MS,
    },
  ];
}

/**
 * Writes that take no body, only an id in the path (or none): a spoiled id, and a body that
 * should not be there, each refused before anything is marked, disabled or revoked.
 */
function bodilessCases(t: HostileTarget): HostileCase[] {
  const out: HostileCase[] = [];
  const endpoints: { name: string; path: (id: string) => string; token: string; ids: boolean }[] = [
    { name: 'POST /api/notifications/{id}/read', path: (id) => `/api/notifications/${id}/read`, token: t.tokens.drafter, ids: true },
    { name: 'POST /api/notifications/read-all', path: () => '/api/notifications/read-all', token: t.tokens.drafter, ids: false },
    { name: 'POST /api/webhooks/{id}/disable', path: (id) => `/api/webhooks/${id}/disable`, token: t.tokens.administrator, ids: true },
    { name: 'POST /api/delegations/{id}/revoke', path: (id) => `/api/delegations/${id}/revoke`, token: t.tokens.approver, ids: true },
  ];
  for (const e of endpoints) {
    const c = (name: string, id: string, expect: number[], body?: Buffer, headers: Record<string, string> = {}): HostileCase => ({
      name: `${e.name}: ${name}`,
      method: 'POST',
      path: e.path(id),
      headers: { authorization: `Bearer ${e.token}`, ...headers },
      body,
      expect,
    });
    if (e.ids) {
      out.push(
        c('unknown uuid', UNKNOWN_UUID, [404]),
        c('not a uuid', 'not-a-uuid', [400]),
        c('NUL id', '%00', [400]),
        c('uuid with NUL', `${UNKNOWN_UUID}%00`, [400]),
        c('encoded surrogate', '%ED%A0%80', [400]),
        c('SQL in the id', enc("' OR 1=1 --"), [400]),
        c('an id of 2,000 characters', 'x'.repeat(2000), [400]),
      );
    }
    const json = { 'content-type': 'application/json' };
    out.push(
      c('a body that is an array', UNKNOWN_UUID, [400], jsonBytes([1]), json),
      c('a body with NUL', UNKNOWN_UUID, [400], jsonBytes({ x: '\u0000' }), json),
      c('a body with a lone surrogate', UNKNOWN_UUID, [400], jsonBytes({ x: '\ud800' }), json),
      c('a body nested 5,000 deep', UNKNOWN_UUID, [400], Buffer.from(nested(5000)), json),
      c('1 MB body', UNKNOWN_UUID, [400], jsonBytes({ x: 'x'.repeat(MB) }), json),
      c('6 MB body', UNKNOWN_UUID, [413], jsonBytes({ x: 'x'.repeat(6 * MB) }), json),
      c('Content-Encoding garbage', UNKNOWN_UUID, [415], jsonBytes({}), { ...json, 'content-encoding': 'zz' }),
      c('Content-Type: application/xml', UNKNOWN_UUID, [415], Buffer.from('<a>1</a>'), { 'content-type': 'application/xml' }),
    );
  }
  return out;
}

/** The obligation id of an on-demand opening, spoiled (the plan id is spoiled with the JSON cases). */
function onDemandObligationCases(t: HostileTarget): HostileCase[] {
  const body = jsonBytes({ subject: 'Cơ chế hỗ trợ doanh nghiệp', targetDate: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10) });
  const c = (name: string, obligation: string, expect: number[]): HostileCase => ({
    name: `POST /api/plans/{id}/available-obligations/{obligation}/assignments: ${name}`,
    method: 'POST',
    path: `/api/plans/${t.ids.planId}/available-obligations/${obligation}/assignments`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tokens.drafter}` },
    body,
    expect,
  });
  return [
    c('unknown obligation', 'KHONG-CO', [404]),
    c('an obligation that is not on demand', enc('III.1'), [404]),
    c('obligation with NUL', 'III.4%00', [400]),
    c('obligation with ESC', '%1B%5B31m', [400]),
    c('obligation with an encoded surrogate', '%ED%A0%80', [400]),
    c('obligation of 2,000 characters', 'x'.repeat(2000), [400, 404]),
  ];
}

/**
 * History imports (auditors): what is not a history, or a history carrying what PostgreSQL
 * cannot store, is refused before a row is written.
 */
function historyImportCases(t: HostileTarget): HostileCase[] {
  const c = (name: string, body: Buffer, expect: number[], headers: Record<string, string> = { 'content-type': 'application/json' }, extra: Partial<HostileCase> = {}): HostileCase => ({
    name: `POST /api/audit/imports: ${name}`,
    method: 'POST',
    path: '/api/audit/imports',
    headers: { authorization: `Bearer ${t.tokens.office}`, ...headers },
    body,
    expect,
    ...extra,
  });
  const started = { eventId: '1', eventTime: '2020-01-02T01:00:00Z', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', workflowExecutionStartedEventAttributes: { workflowType: { name: 'assignmentWorkflow' } } };
  return [
    c('an empty object', jsonBytes({}), [400]),
    c('an array', jsonBytes([started]), [400]),
    c('events that are not a list', jsonBytes({ events: 'x' }), [400]),
    c('an event type with NUL', jsonBytes({ events: [{ ...started, eventType: 'EVENT_TYPE_\u0000' }] }), [400]),
    c('a workflow type with a lone surrogate', jsonBytes({ events: [{ ...started, workflowExecutionStartedEventAttributes: { workflowType: { name: '\ud800' } } }] }), [400]),
    c('events nested 5,000 deep', Buffer.from(`{"events":${nested(5000)}}`), [400]),
    c('invalid JSON', Buffer.from('{"events":['), [400]),
    c('a workflow id query with NUL', jsonBytes({ events: [started] }), [400], undefined, { path: '/api/audit/imports?workflowId=a%00b' }),
  ];
}

function closedApprovalCases(t: HostileTarget): HostileCase[] {
  const body = jsonBytes({ version: 1, step: t.ids.openApprovalStep, decision: 'approve', comment: '' });
  return [
    {
      name: 'POST /api/approvals/{id}/decision: a closed approval',
      method: 'POST',
      path: `/api/approvals/${A(t.ids.closedApprovalId)}/decision`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tokens.approver}` },
      body,
      expect: [409],
      reason: 'APPROVAL_CLOSED',
    },
    {
      name: 'POST /api/approvals/{id}/decision: a closed approval, by the Standing Office',
      method: 'POST',
      path: `/api/approvals/${A(t.ids.closedApprovalId)}/decision`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tokens.office}` },
      body: jsonBytes({ version: 1, step: t.ids.openApprovalStep, decision: 'reject', comment: 'Không đồng ý' }),
      expect: [403, 409],
    },
  ];
}

function queryCases(t: HostileTarget): HostileCase[] {
  const api = (name: string, path: string, expect = [400], token = t.tokens.office): HostileCase => ({
    name: `GET ${name}`,
    method: 'GET',
    path,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    expect,
  });
  const out: HostileCase[] = [];
  for (const bad of [...BAD_DATES, '%00', '2020-01-0%00']) out.push(api(`/api/assignments?dueBefore=${bad}`, `/api/assignments?dueBefore=${bad.includes('%') ? bad : enc(bad)}`));
  for (const flag of ['overdue', 'unread']) {
    const route = flag === 'overdue' ? '/api/assignments' : '/api/notifications';
    for (const bad of ['yes', '1', '0', 'TRUE', 'False', '', '%00', 'true%00']) out.push(api(`${route}?${flag}=${bad}`, `${route}?${flag}=${bad}`));
    out.push(api(`${route}?${flag}=true&${flag}=false`, `${route}?${flag}=true&${flag}=false`));
  }
  out.push(api('/api/notifications?page=abc', '/api/notifications?page=abc'));
  out.push(api('/api/notifications?pageSize=1000000', '/api/notifications?pageSize=1000000'));
  out.push(api('/api/assignments?page=-1', '/api/assignments?page=-1'));
  out.push(api('/api/assignments?plan=%00', '/api/assignments?plan=%00'));
  out.push(api('/api/assignments?unit=a%01b', '/api/assignments?unit=a%01b'));
  out.push(api('/api/assignments?kind=%00', '/api/assignments?kind=%00'));
  out.push(api('/api/assignments?sort=;drop', '/api/assignments?sort=%3Bdrop'));
  out.push(api('/api/assignments?hack=1', '/api/assignments?hack=1'));
  out.push(api('/api/extension-requests?plan=%00', '/api/extension-requests?plan=%00'));
  out.push(api('/api/extension-requests?plan=a&plan=b', '/api/extension-requests?plan=a&plan=b'));
  for (const bad of ['2020-13', '2020-3', '%00', '03/2020%00']) out.push(api(`/api/plans/{id}/monthly-report?period=${bad}`, `/api/plans/${t.ids.planId}/monthly-report?period=${bad}`));
  out.push(api('/api/plans/{id}/progress with NUL', '/api/plans/%00/progress'));
  out.push(api('/api/plans/{id}/progress not a uuid', '/api/plans/not-a-uuid/progress'));
  out.push(api('/api/plans/{id}/amendment with an encoded surrogate', '/api/plans/%ED%A0%80/amendment'));
  out.push(api('/api/plans/{id}/amendment unknown', `/api/plans/${UNKNOWN_UUID}/amendment`, [404]));
  out.push(api('/api/plans/{id}/available-obligations with NUL', '/api/plans/abc%00/available-obligations'));
  out.push(api('/api/webhooks/{id}/deliveries not a uuid', '/api/webhooks/not-a-uuid/deliveries', [400], t.tokens.administrator));
  out.push(api('/api/webhooks/{id}/deliveries?status=%00', `/api/webhooks/${UNKNOWN_UUID}/deliveries?status=%00`, [400], t.tokens.administrator));
  out.push(api('/api/webhooks/{id}/deliveries?status=nonsense', `/api/webhooks/${UNKNOWN_UUID}/deliveries?status=nonsense`, [400], t.tokens.administrator));
  out.push(api('/api/webhooks/{id}/deliveries?page=-1', `/api/webhooks/${UNKNOWN_UUID}/deliveries?page=-1`, [400], t.tokens.administrator));
  out.push(api('/api/assignments/{id} with NUL', '/api/assignments/%00'));
  out.push(api('/api/approvals/{id} with NUL', '/api/approvals/abc%00'));
  out.push(api('/api/approvals/{id} with an encoded surrogate', '/api/approvals/%ED%A0%80'));
  const web = (name: string, path: string, cookie = t.web.cookie): HostileCase => ({ name: `GET ${name}`, method: 'GET', path, headers: { cookie, accept: 'text/html' }, expect: [400] });
  out.push(web('/assignments/{id} (page) with NUL', '/assignments/%00'));
  out.push(web('/assignments/{id} (page) with an encoded surrogate', '/assignments/%ED%A0%80'));
  out.push(web('/plans/{id}/monthly-report (page) with period NUL', `/plans/${t.ids.planId}/monthly-report?period=%00`, t.readerWeb.cookie));
  out.push(web('/plans/{id}/monthly-report (page) with period repeated', `/plans/${t.ids.planId}/monthly-report?period=2020-03&period=2020-04`, t.readerWeb.cookie));
  out.push(web('/plans/{id}/monthly-report (page) with period 13/2020', `/plans/${t.ids.planId}/monthly-report?period=13%2F2020`, t.readerWeb.cookie));
  out.push(web('/plans/{id}/monthly-report.xlsx with period 2020-02-31', `/plans/${t.ids.planId}/monthly-report.xlsx?period=2020-02-31`, t.readerWeb.cookie));
  return out;
}

function formCases(t: HostileTarget, f: FormEndpoint): HostileCase[] {
  const session = f.session?.(t) ?? t.web;
  const base = { _csrf: session.csrf, ...f.fields(t) };
  const path = f.path(t);
  const headers = (extra: Record<string, string> = {}) => ({
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'text/html',
    cookie: session.cookie,
    ...extra,
  });
  const c = (name: string, body: Buffer | string, expect?: number[], extra: Partial<HostileCase> = {}, h?: Record<string, string>): HostileCase => ({
    name: `${f.name}: ${name}`,
    method: 'POST',
    path,
    headers: h ?? headers(),
    body: typeof body === 'string' ? Buffer.from(body) : body,
    expect: expect && f.throttled ? [...expect, 429] : expect,
    ...extra,
  });
  const out: HostileCase[] = [];
  for (const field of f.strings) {
    for (const [label, value] of UNSAFE_FORM_VALUES) {
      const current = base[field as keyof typeof base];
      out.push(c(`${field} with ${label}`, urlencode({ ...base, [field]: Array.isArray(current) ? [value] : value }), [400]));
    }
  }
  out.push(c(`1 MB in ${f.big}`, urlencode({ ...base, [f.big]: 'x'.repeat(MB) }), f.bigStatuses ?? [400]));
  out.push(c(`6 MB in ${f.big}`, urlencode({ ...base, [f.big]: 'đ'.repeat(MB) }), [413], { timeoutMs: HUGE_TIMEOUT_MS }));
  out.push(c('1,500 fields', `${urlencode(base)}&${Array.from({ length: 1500 }, (_, i) => `f${i}=1`).join('&')}`, [413]));
  out.push(c('a field nested 10 deep', `${urlencode(base)}&a[b][c][d][e][f][g][h][i][j]=1`, [400]));
  out.push(c('an unknown field', `${urlencode(base)}&isAdmin=true`, [400]));
  out.push(c('Content-Encoding: x-garbage', urlencode(base), [415], {}, headers({ 'content-encoding': 'x-garbage' })));
  out.push(c('Content-Encoding: gzip, body is not gzip', urlencode(base), [400], {}, headers({ 'content-encoding': 'gzip' })));
  out.push(c('Content-Type: text/plain', urlencode(base), [415], {}, headers({ 'content-type': 'text/plain' })));
  out.push(c('a JSON array', jsonBytes([base]), [400], {}, headers({ 'content-type': 'application/json' })));
  out.push(c('JSON nested 5,000 deep', Buffer.from(nested(5000)), [400], {}, headers({ 'content-type': 'application/json' })));
  for (const [label, id, statuses] of f.ids?.(t) ?? []) {
    out.push({ ...c(label, urlencode(base), statuses), path: path.replace(/^(\/[a-z]+\/)[^/]+/, `$1${enc(id)}`) });
  }
  if (f.ids) {
    out.push({ ...c('id with NUL', urlencode(base), [400]), path: path.replace(/^(\/[a-z]+\/)[^/]+/, '$1abc%00') });
    out.push({ ...c('id with an encoded surrogate', urlencode(base), [400]), path: path.replace(/^(\/[a-z]+\/)[^/]+/, '$1%ED%A0%80') });
  }
  return out;
}

function logoutCases(t: HostileTarget): HostileCase[] {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: t.web.cookie };
  return [
    { name: 'POST /logout (form): a field with NUL', method: 'POST', path: '/logout', headers, body: Buffer.from(urlencode({ _csrf: t.web.csrf, x: '\u0000' })), expect: [400] },
    { name: 'POST /logout (form): 6 MB', method: 'POST', path: '/logout', headers, body: Buffer.from(urlencode({ _csrf: t.web.csrf, x: 'x'.repeat(6 * MB) })), expect: [413], timeoutMs: HUGE_TIMEOUT_MS },
    { name: 'POST /logout (form): Content-Encoding garbage', method: 'POST', path: '/logout', headers: { ...headers, 'content-encoding': 'qq' }, body: Buffer.from(urlencode({ _csrf: t.web.csrf })), expect: [415] },
  ];
}

/** Sends one case; never throws. */
export async function sendHostile(baseUrl: string, c: HostileCase): Promise<HostileOutcome> {
  const started = Date.now();
  const timeoutMs = c.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const res = await fetch(`${baseUrl}${c.path}`, { method: c.method, headers: c.headers, body: c.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    return { case: c, status: res.status, ms: Date.now() - started, body: text.slice(0, 100_000) };
  } catch (err) {
    const name = (err as Error).name;
    return { case: c, status: name === 'TimeoutError' || name === 'AbortError' ? 'hung' : 'network-error', ms: Date.now() - started, body: String((err as Error).message) };
  }
}

/** Sends every case, `concurrency` at a time. */
export async function runHostileCorpus(baseUrl: string, cases: HostileCase[], concurrency = 4): Promise<HostileOutcome[]> {
  const outcomes: HostileOutcome[] = new Array(cases.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < cases.length) {
        const i = next++;
        outcomes[i] = await sendHostile(baseUrl, cases[i]);
      }
    }),
  );
  return outcomes;
}

/** Whether an outcome is what its case demands: a 4xx (the listed one, with the listed reason, if any). */
export function isRightRefusal(o: HostileOutcome): boolean {
  if (typeof o.status !== 'number' || o.status < 400 || o.status >= 500) return false;
  if (o.case.expect && !o.case.expect.includes(o.status)) return false;
  if (o.case.reason && !o.body.includes(`"reason":"${o.case.reason}"`)) return false;
  return true;
}

/**
 * How many refusals the audit log must hold for each path, from the API answers of the corpus:
 * an authenticated write answered with a refusal the log keeps (`isRefusal`, the log's own rule).
 * Paths as the server reads them (`req.originalUrl`), after fetch's URL parsing.
 */
export function expectedRefusals(baseUrl: string, outcomes: HostileOutcome[], isRefusal: (b: { statusCode: number; reason?: string }) => boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    if (typeof o.status !== 'number' || o.case.method === 'GET' || !o.case.path.startsWith('/api/') || !o.case.headers.authorization) continue;
    let reason: string | undefined;
    try {
      reason = (JSON.parse(o.body) as { reason?: unknown }).reason as string | undefined;
    } catch {
      continue;
    }
    if (!isRefusal({ statusCode: o.status, reason: typeof reason === 'string' ? reason : undefined })) continue;
    const url = new URL(`${baseUrl}${o.case.path}`);
    const path = `${url.pathname}${url.search}`.slice(0, 2000);
    counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  return counts;
}

/** Rows a bad request could have written, limited to the test's own users and plans (other tests share the database). */
export interface RowScope {
  userIds: string[];
  usernames: string[];
}

export const COUNTED_TABLES = ['assignments', 'assignment_events', 'approvals', 'notifications', 'delegations', 'plan_versions', 'idempotency_keys', 'webhook_subscriptions', 'imported_histories'] as const;
export type RowCounts = Record<(typeof COUNTED_TABLES)[number], number> & { changed: number };

/**
 * Counts the rows of each table a write could touch, for the plans imported by `usernames`
 * and the users `userIds`; `changed` counts assignments, approvals and notices updated since `since`.
 */
export async function countRows(db: DataSource, scope: RowScope, since: Date): Promise<RowCounts> {
  const plans = `(SELECT key FROM plan_versions WHERE imported_by = ANY($1::text[]))`;
  const one = async (sql: string, params: unknown[]) => Number((await db.query(sql, params))[0].n);
  const users = scope.userIds;
  const names = scope.usernames;
  return {
    assignments: await one(`SELECT count(*) AS n FROM assignments WHERE plan_key IN ${plans}`, [names]),
    assignment_events: await one(`SELECT count(*) AS n FROM assignment_events e JOIN assignments a ON a.id = e.assignment_id WHERE a.plan_key IN ${plans}`, [names]),
    approvals: await one(`SELECT count(*) AS n FROM approvals WHERE plan_key IN ${plans}`, [names]),
    notifications: await one(`SELECT count(*) AS n FROM notifications WHERE plan_key IN ${plans}`, [names]),
    delegations: await one(`SELECT count(*) AS n FROM delegations WHERE from_user_id = ANY($1::uuid[]) OR to_user_id = ANY($1::uuid[])`, [users]),
    plan_versions: await one(`SELECT count(*) AS n FROM plan_versions WHERE imported_by = ANY($1::text[])`, [names]),
    idempotency_keys: await one(`SELECT count(*) AS n FROM idempotency_keys WHERE user_id = ANY($1::text[])`, [users]),
    webhook_subscriptions: await one(`SELECT count(*) AS n FROM webhook_subscriptions WHERE created_by = ANY($1::text[])`, [names]),
    imported_histories: await one(`SELECT count(*) AS n FROM imported_histories WHERE imported_by = ANY($1::text[])`, [names]),
    changed:
      (await one(`SELECT count(*) AS n FROM assignments WHERE plan_key IN ${plans} AND updated_at > $2`, [names, since])) +
      (await one(`SELECT count(*) AS n FROM approvals WHERE plan_key IN ${plans} AND updated_at > $2`, [names, since])) +
      (await one(`SELECT count(*) AS n FROM delegations WHERE (from_user_id = ANY($1::uuid[]) OR to_user_id = ANY($1::uuid[])) AND revoked_at > $2`, [users, since])) +
      (await one(`SELECT count(*) AS n FROM notifications WHERE plan_key IN ${plans} AND read_at > $2`, [names, since])) +
      (await one(`SELECT count(*) AS n FROM notification_reads r JOIN notifications x ON x.id = r.notification_id WHERE x.plan_key IN ${plans} AND r.read_at > $2`, [names, since])),
  };
}

/** Workflows on a task queue (each test has its own), open or closed. */
export async function countWorkflows(client: Client, taskQueue: string): Promise<number> {
  return (await client.workflow.count(`TaskQueue = '${taskQueue.replace(/'/g, "''")}'`)).count;
}

export interface HostileSummary {
  requests: number;
  refused4xx: number;
  wrongRefusal: number;
  answered5xx: number;
  hung: number;
  networkErrors: number;
  otherStatus: number;
  rowsWritten: number;
  workflowsStarted: number;
  slowestMs: number;
  overOneSecond: number;
  slowest: { name: string; ms: number }[];
}

export function summarise(outcomes: HostileOutcome[], before: RowCounts, after: RowCounts, workflowsBefore: number, workflowsAfter: number): HostileSummary {
  const status = (o: HostileOutcome) => o.status;
  return {
    requests: outcomes.length,
    refused4xx: outcomes.filter((o) => typeof status(o) === 'number' && (status(o) as number) >= 400 && (status(o) as number) < 500).length,
    wrongRefusal: outcomes.filter((o) => typeof o.status === 'number' && o.status >= 400 && o.status < 500 && !isRightRefusal(o)).length,
    answered5xx: outcomes.filter((o) => typeof o.status === 'number' && o.status >= 500).length,
    hung: outcomes.filter((o) => o.status === 'hung').length,
    networkErrors: outcomes.filter((o) => o.status === 'network-error').length,
    otherStatus: outcomes.filter((o) => typeof o.status === 'number' && o.status < 400).length,
    rowsWritten: COUNTED_TABLES.reduce((sum, table) => sum + Math.abs(after[table] - before[table]), 0) + after.changed - before.changed,
    workflowsStarted: workflowsAfter - workflowsBefore,
    slowestMs: Math.max(0, ...outcomes.map((o) => o.ms)),
    overOneSecond: outcomes.filter((o) => o.ms > 1000).length,
    slowest: [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 3).map((o) => ({ name: o.case.name, ms: o.ms })),
  };
}

/** A small table for the log. */
export function formatSummary(s: HostileSummary, before: RowCounts, after: RowCounts): string {
  const rows: [string, string | number][] = [
    ['hostile requests', s.requests],
    ['answered 4xx', s.refused4xx],
    ['  of which not the expected 4xx', s.wrongRefusal],
    ['answered 5xx (must be 0)', s.answered5xx],
    ['answered 2xx/3xx (must be 0)', s.otherStatus],
    ['hung (must be 0)', s.hung],
    ['network errors (must be 0)', s.networkErrors],
    ['rows written or changed (must be 0)', s.rowsWritten],
    ['workflows started (must be 0)', s.workflowsStarted],
    ['answered in more than 1 s', s.overOneSecond],
    ['slowest answer', `${s.slowestMs} ms`],
    ['slowest cases', ''],
    ...s.slowest.map((x): [string, string] => [`  ${x.ms} ms`, x.name]),
    ['rows, before -> after', ''],
    ...COUNTED_TABLES.map((table): [string, string] => [`  ${table}`, `${before[table]} -> ${after[table]}`]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/**
 * A web session as a browser gets one: the login form (with its CSRF token), then a page
 * for the session's own CSRF token. Returns the Cookie header and that token.
 */
export async function openWebSession(baseUrl: string, username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

  const loginPage = await fetch(`${baseUrl}/login`, { redirect: 'manual' });
  keep(loginPage);
  const anonymous = tokenIn(await loginPage.text());
  if (!anonymous) throw new Error('no CSRF token on the login page');
  const login = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: urlencode({ _csrf: anonymous, username, password, next: '/' }),
  });
  keep(login);
  if (login.status !== 303) throw new Error(`web login of ${username}: ${login.status}`);
  const home = await fetch(`${baseUrl}/`, { headers: { cookie: cookie() }, redirect: 'manual' });
  keep(home);
  const csrf = tokenIn(await home.text());
  if (home.status !== 200 || !csrf) throw new Error(`the inbox after login: ${home.status}`);
  return { cookie: cookie(), csrf };
}

/**
 * Files that must not be stored: POST /api/assignments/{id}/files (multipart) by the
 * assignment's own drafter, so only the file checks can answer. (A name with a path is no
 * case: the multipart parser keeps only its last part, as browsers send it.)
 */
function uploadCases(t: HostileTarget): HostileCase[] {
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n');
  const part = (disposition: string, content: Buffer, type = 'application/pdf') =>
    Buffer.concat([Buffer.from(`--b0\r\nContent-Disposition: form-data; ${disposition}\r\nContent-Type: ${type}\r\n\r\n`), content, Buffer.from('\r\n--b0--\r\n')]);
  const headers = { 'content-type': 'multipart/form-data; boundary=b0', accept: 'application/json', authorization: `Bearer ${t.tokens.drafter}` };
  const c = (name: string, body: Buffer, expect: number[], reason?: string, extra: Partial<HostileCase> = {}): HostileCase => ({
    name: `POST /api/assignments/{id}/files: ${name}`,
    method: 'POST',
    path: `/api/assignments/${A(t.ids.openAssignmentId)}/files`,
    headers,
    body,
    expect,
    reason,
    ...extra,
  });
  return [
    c('text named .pdf', part('name="files"; filename="ke-hoach.pdf"', Buffer.from('chỉ là văn bản')), [400], 'INVALID_FILE'),
    c('executable named .docx', part('name="files"; filename="ke-hoach.docx"', Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1')), [400], 'INVALID_FILE'),
    c('PDF named .png', part('name="files"; filename="so-do.png"', PDF), [400], 'INVALID_FILE'),
    c('empty file', part('name="files"; filename="rong.pdf"', Buffer.alloc(0)), [400], 'INVALID_FILE'),
    c('NUL in the file name (RFC 5987)', part("name=\"files\"; filename*=UTF-8''ke%00hoach.pdf", PDF), [400], 'UNSAFE_CHARACTER'),
    c('a file in another field', part('name="tep"; filename="a.pdf"', PDF), [400], 'UNEXPECTED_FILE_FIELD'),
    c('no file', Buffer.from('--b0--\r\n'), [400]),
    c('a broken multipart body', Buffer.from('--b0\r\nnonsense without an end'), [400]),
    c('no boundary', PDF, [400], undefined, { headers: { ...headers, 'content-type': 'multipart/form-data' } }),
    c('gzip-encoded multipart', part('name="files"; filename="a.pdf"', PDF), [415], 'UNSUPPORTED_ENCODING', { headers: { ...headers, 'content-encoding': 'gzip' } }),
    c('a file of 21 MB', part('name="files"; filename="lon.pdf"', Buffer.concat([PDF, Buffer.alloc(21 * MB)])), [413], 'FILE_TOO_LARGE', { timeoutMs: HUGE_TIMEOUT_MS }),
  ];
}
