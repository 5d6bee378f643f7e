import { z } from 'zod';
import { ASSIGNMENT_KINDS } from '../assignment/assignment-spec';
import { EscalationPolicySchema } from '../escalation/escalation-policy.schema';
import { WaitLimitSchema } from '../escalation/wait-deadline';
import { isIsoDate } from '../calendar/iso-date';

/** The version of the plan file format this code reads. Bump it for incompatible changes. */
export const PLAN_FORMAT_VERSION = 1 as const;

export const UNIT_KINDS = [
  'party-body',
  'pc-party-delegation',
  'district-party-committee',
  'direct-party-committee',
  'department',
  'mass-organisation',
  'state-body',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** How a unit stopped existing (sắp xếp tổ chức bộ máy). */
export const UNIT_ENDINGS = ['merged', 'renamed', 'abolished'] as const;
export type UnitEnding = (typeof UNIT_ENDINGS)[number];

export const TASK_KINDS = ['focus', 'breakthrough'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/**
 * Codes end up in workflow ids (`drafting:<plan>@v1:<task>:<unit>`, `approval:…:v2`), which
 * Temporal caps at 1,000 bytes; 64 characters each keeps every id well inside that.
 */
export const CODE_MAX_LENGTH = 64;

const code = z
  .string()
  .max(CODE_MAX_LENGTH, `codes have at most ${CODE_MAX_LENGTH} characters`)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'codes use letters, digits, ".", "_" and "-", no spaces')
  .describe('Mã / code: letters, digits, ".", "_", "-"');
const text = z.string().trim().min(1);
// zod's ISO check plus the domain's own (years before 1000 are typos), so the plan file and the API agree.
const date = z.iso
  .date()
  .refine((value) => isIsoDate(value), 'not a calendar date (yyyy-mm-dd)')
  .describe('Ngày / date, yyyy-mm-dd');
const ref = code.describe('Mã đơn vị hoặc nhóm đơn vị / unit or unit-group code');

export const PlanHeaderSchema = z.strictObject({
  code: code.describe('Mã kế hoạch / stable plan code used in workflow ids when the number is assumed'),
  // The number is the plan part of workflow ids once it is no longer assumed (see planKey).
  number: z
    .string()
    .max(CODE_MAX_LENGTH, `plan numbers have at most ${CODE_MAX_LENGTH} characters`)
    .regex(/^\S+$/, 'plan numbers have no spaces')
    .describe('Số ký hiệu / document number, e.g. 12-KH/TU'),
  numberAssumed: z.boolean().default(false).describe('true when the number is a placeholder, not read from the document'),
  title: text.describe('Trích yếu / title'),
  issuedBy: ref.describe('Cơ quan ban hành / issuing body (unit code)'),
  signer: z.strictObject({
    name: text,
    position: text.describe('Chức vụ / position, e.g. Phó Bí thư'),
    onBehalfOf: z.string().optional().describe('Thẩm quyền ký / e.g. T/M Ban Thường vụ'),
  }),
  place: z.string().optional().describe('Địa danh / place of issue'),
  date: date.describe('Ngày ban hành / date of issue'),
  dateAssumed: z.boolean().default(false).describe('true when the date is a placeholder, not read from the document'),
  timeZone: z.string().default('Asia/Ho_Chi_Minh').describe('IANA time zone deadlines end in'),
  replaces: z
    .array(z.strictObject({ number: text, date: date, issuedBy: ref.optional() }))
    .default([])
    .describe('Văn bản được thay thế / documents this plan replaces'),
  basis: z.string().optional().describe('Căn cứ / preamble'),
  purpose: z.array(text).default([]).describe('I. Mục đích, yêu cầu / purpose and requirements'),
  horizon: text
    .optional()
    .describe('Thời gian thực hiện / the span the plan runs for, e.g. "năm 2020", "nhiệm kỳ 2020-2025", "đến ngày 30/06/2021"; periodic reports without an end of their own stop with it'),
  horizonAssumed: z.boolean().optional().describe('true when the document sets no horizon and this one is a tracking assumption'),
  standingOffice: ref.describe("Unit that receives 'standing-office' notices (Văn phòng Tỉnh ủy)"),
  standingCommittee: ref.describe("Unit that receives 'standing-committee' notices (Thường trực / Ban Thường vụ)"),
});

export const TaskSchema = z.strictObject({
  code: code.describe('e.g. FT1 (nhiệm vụ tập trung 1), BT1 (nhiệm vụ đột phá 1)'),
  kind: z.enum(TASK_KINDS).describe('focus = nhiệm vụ tập trung; breakthrough = nhiệm vụ đột phá'),
  number: z.number().int().positive().describe('Số thứ tự trong văn bản / number in the document'),
  text: text.describe('Nội dung nguyên văn / full text as written'),
  existingBasis: text
    .optional()
    .describe('Đã có nghị quyết, kế hoạch, chương trình hoặc kết luận / the resolution, plan or programme the task already has (III.2 reviews only these)'),
  existingBasisAssumed: z.boolean().optional().describe('true when the document does not say so and existingBasis is a tracking assumption'),
});

export const UnitSchema = z.strictObject({
  code,
  name: text.describe('Tên đơn vị / full name'),
  shortName: z.string().optional(),
  kind: z.enum(UNIT_KINDS),
  parent: ref.optional().describe('Đơn vị cấp trên / parent unit code'),
  validFrom: date.optional().describe('Có hiệu lực từ / valid from'),
  validTo: date.optional().describe('Hết hiệu lực / valid until (inclusive)'),
  endedBy: z
    .enum(UNIT_ENDINGS)
    .optional()
    .describe('Lý do chấm dứt / how the unit ended on validTo: merged (hợp nhất, sáp nhập), renamed (đổi tên), abolished (giải thể, kết thúc hoạt động)'),
  successor: ref
    .optional()
    .describe('Đơn vị kế thừa / unit code that takes over its open assignments from the day after validTo'),
  // No default: a default would change every stored plan's fingerprint (canonical JSON).
  successorAssumed: z.boolean().optional().describe('true when the document names no successor and this one is a tracking assumption'),
});

export const UnitGroupSchema = z.strictObject({
  code,
  name: text.describe('Tên nhóm / e.g. Các huyện ủy, thị ủy, thành ủy'),
  members: z.array(ref).min(1).describe('Unit or group codes'),
});

export const PlanEventSchema = z.strictObject({
  code: code.describe('Referenced as "N ngày làm việc sau <code>"; "plan" is the plan date and is built in'),
  label: text,
  date,
});

export const ApprovalStepSchema = z.strictObject({
  step: code,
  label: text,
  unit: ref,
  role: code.describe('Vai trò / role code, e.g. chanh-van-phong, pho-bi-thu'),
  slaSeconds: z.number().int().positive().optional().describe('Older form (tests): SLA in seconds from the moment the step opens'),
  deadline: WaitLimitSchema.optional().describe('Thời hạn của bước / time limit from the moment the step opens, e.g. "05 ngày làm việc"'),
  deadlineAssumed: z.boolean().optional().describe('true when the document sets no time for the step and this one is a tracking assumption'),
  escalation: code.optional().describe('Chính sách nhắc hạn của bước / escalation policy code for the step (required with deadline)'),
});

export const ApprovalChainSchema = z.strictObject({
  code,
  label: z.string().optional(),
  steps: z.array(ApprovalStepSchema).min(1),
});

export const ResponseDeadlineSchema = z.strictObject({
  deadline: WaitLimitSchema.describe('Thời hạn trả lời / time limit from the moment it starts waiting, e.g. "03 ngày làm việc"'),
  deadlineAssumed: z.boolean().optional().describe('true when the document sets no such limit and this one is a tracking assumption'),
  escalation: code.describe('Chính sách nhắc hạn / escalation policy code; waited-on is whoever must answer'),
});

export const ResponseDeadlinesSchema = z
  .strictObject({
    extensionDecision: ResponseDeadlineSchema.optional().describe('Văn phòng Tỉnh ủy quyết định đề nghị gia hạn / the Standing Office decides an extension request'),
    coordinationComment: ResponseDeadlineSchema.optional().describe(
      'Đơn vị phối hợp cho ý kiến / a coordinating unit gives written comments when the lead unit asks (xin ý kiến); the default the lead unit may change per request',
    ),
    difficultyAnswer: ResponseDeadlineSchema.optional().describe(
      'Trả lời khó khăn, vướng mắc được báo cáo (III.6) / the body a report is submitted to (submitTo, else the Standing Office) answers a reported difficulty',
    ),
  })
  .describe('Thời hạn trả lời / deadlines for what waits on a person besides approval steps');

/**
 * Inside the lead unit: the drafter's (chuyên viên) draft goes first to the unit's head (lãnh
 * đạo đơn vị) as an approval step of its own, before the chain's steps (the Standing Office).
 * The step's unit is each assignment's lead unit; its authority the position `role` there.
 */
export const UnitHeadReviewSchema = z
  .strictObject({
    step: code.default('lanh-dao-don-vi').describe('Mã bước / step code, distinct from every chain step'),
    label: text.default('Lãnh đạo đơn vị chủ trì cho ý kiến, ký trình').describe('Tên bước / step label'),
    role: code
      .default('unit-head')
      .describe('Chức vụ trong đơn vị chủ trì / the position in the lead unit that decides the step; default unit-head (every unit head holds it)'),
    kinds: z
      .array(z.enum(ASSIGNMENT_KINDS))
      .min(1)
      .optional()
      .describe('Loại nghĩa vụ / the obligation kinds whose chain starts with the step; absent: every obligation with an approval chain'),
    deadline: WaitLimitSchema.optional().describe('Thời hạn của bước / time limit from the moment the step opens, e.g. "02 ngày làm việc"'),
    deadlineAssumed: z.boolean().optional().describe('true when the document sets no time for the step and this one is a tracking assumption'),
    escalation: code.optional().describe('Chính sách nhắc hạn của bước / escalation policy code (required with deadline)'),
  })
  .describe('Lãnh đạo đơn vị duyệt trước khi trình / the lead unit head reviews a draft before the chain');

export const NamedEscalationPolicySchema = z.strictObject({
  code,
  label: z.string().optional(),
  ...EscalationPolicySchema.shape,
});

const periodKey = z
  .string()
  .regex(
    /^\d{4}(?:-(?:0[1-9]|1[0-2])|-Q[1-4]|-H[12]|-W(?:0[1-9]|[1-4]\d|5[0-3]))?$/,
    'một kỳ báo cáo viết yyyy-mm, yyyy-Qn, yyyy-Hn, yyyy hoặc yyyy-Www / a period is yyyy-mm (month), yyyy-Qn (quarter), yyyy-Hn (half-year), yyyy (year) or yyyy-Www (ISO week)',
  );

export const ObligationReportSchema = z.strictObject({
  rhythm: text.describe(
    'Nhịp báo cáo / e.g. "cuối hằng tháng", "ngày 25 hằng tháng", "hằng quý, trước ngày 20 của tháng đầu quý sau", "định kỳ 6 tháng", "báo cáo năm trước ngày 15/12", "thứ Sáu hằng tuần"',
  ),
  firstPeriod: periodKey.describe('Kỳ báo cáo đầu tiên / first report period: 2020-03 (month), 2021-Q1, 2021-H1, 2021, 2021-W05'),
  rhythmAssumed: z.boolean().default(false),
  lastPeriod: periodKey.optional().describe('Kỳ báo cáo cuối cùng / last report period, written like firstPeriod'),
  until: date.optional().describe('Báo cáo đến ngày / the duty ends on this date: the period holding it is the last'),
  endAssumed: z.boolean().optional().describe('true when the document sets no end and lastPeriod / until / the plan horizon is a tracking assumption'),
});

export const ObligationSchema = z.strictObject({
  id: code.describe('Mã nghĩa vụ / obligation id, unique in the plan, e.g. III.1-BCSD'),
  section: text.describe('Mục trong văn bản / section, e.g. "II.2.a; III.1"'),
  kind: z.enum(ASSIGNMENT_KINDS),
  title: z.string().optional().describe('Tên ngắn / short title; generated from kind and task when absent'),
  lead: z.union([ref, z.array(ref).min(1)]).describe('Chủ trì / lead: one unit or group, or a list; each lead unit gets its own assignment'),
  coordinating: z.array(ref).default([]).describe('Phối hợp / coordinating units or groups'),
  tasks: z.array(code).min(1).describe('Nhiệm vụ / task codes'),
  perTask: z.boolean().optional().describe('One assignment per task (default: true for drafting, false otherwise)'),
  deadline: text.optional().describe('Thời hạn / deadline expression (all kinds but monthly-report)'),
  deadlineAssumed: z.boolean().default(false).describe('true when the document sets no deadline and this one is a tracking assumption'),
  submitTo: ref.optional().describe('Trình / submitted to'),
  approvalChain: code.optional().describe('Quy trình phê duyệt / approval chain code (required for drafting)'),
  escalation: code.describe('Chính sách nhắc hạn / escalation policy code'),
  onlyTasksWithBasis: z
    .boolean()
    .optional()
    .describe('Chỉ các nhiệm vụ đã có nghị quyết, kế hoạch, chương trình / only the tasks with an existingBasis (III.2); none left: no assignment'),
  onDemand: z
    .boolean()
    .optional()
    .describe('Khi cần thiết / available, not imposed: no assignment at launch; each lead unit opens one when it needs it, with its own target date and no escalation'),
  report: ObligationReportSchema.optional().describe('Chế độ báo cáo định kỳ / only for monthly-report (any periodic report: monthly, quarterly, …)'),
  mustCite: z.boolean().optional().describe('The deliverable must cite the plan number (default: true for concretisation)'),
  text: text.describe('Nội dung nguyên văn / the text of the section'),
});

export const RecipientSchema = z.strictObject({
  text: text.describe('Dòng "Nơi nhận" nguyên văn / recipients line as written'),
  units: z.array(ref).default([]),
  archive: z.boolean().default(false).describe('Lưu / archive copy'),
});

export const PlanDefinitionSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Editor hint, ignored'),
    formatVersion: z.literal(PLAN_FORMAT_VERSION).describe('Phiên bản định dạng / file format version'),
    plan: PlanHeaderSchema,
    tasks: z.array(TaskSchema).min(1),
    units: z.array(UnitSchema).min(1),
    unitGroups: z.array(UnitGroupSchema).default([]),
    events: z.array(PlanEventSchema).default([]),
    approvalChains: z.array(ApprovalChainSchema).default([]),
    escalationPolicies: z.array(NamedEscalationPolicySchema).min(1),
    responseDeadlines: ResponseDeadlinesSchema.optional(),
    unitHeadReview: UnitHeadReviewSchema.optional(),
    obligations: z.array(ObligationSchema).min(1),
    recipients: z.array(RecipientSchema).default([]),
  })
  .meta({
    $id: 'https://dieu-hanh.local/schemas/plan-definition.schema.json',
    title: 'Điều hành plan definition',
    description: 'Kế hoạch / plan definition file (formatVersion 1). See docs/plan-format.md.',
  });

export type PlanDefinition = z.output<typeof PlanDefinitionSchema>;
export type PlanDefinitionInput = z.input<typeof PlanDefinitionSchema>;
export type PlanHeader = PlanDefinition['plan'];
export type PlanTask = PlanDefinition['tasks'][number];
export type PlanUnit = PlanDefinition['units'][number];
export type PlanUnitGroup = PlanDefinition['unitGroups'][number];
export type PlanEvent = PlanDefinition['events'][number];
export type ApprovalChain = PlanDefinition['approvalChains'][number];
export type UnitHeadReview = NonNullable<PlanDefinition['unitHeadReview']>;
export type NamedEscalationPolicy = PlanDefinition['escalationPolicies'][number];
export type PlanObligation = PlanDefinition['obligations'][number];
export type PlanRecipient = PlanDefinition['recipients'][number];

/**
 * JSON Schema (draft 2020-12) of the file a clerk writes, generated from the zod schema so
 * the two cannot drift; a committed copy lives at libs/domain/plans/plan-definition.schema.json.
 */
export const planDefinitionJsonSchema: Record<string, unknown> = z.toJSONSchema(PlanDefinitionSchema, {
  target: 'draft-2020-12',
  io: 'input',
  unrepresentable: 'any',
}) as Record<string, unknown>;
