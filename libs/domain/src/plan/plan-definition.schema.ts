import { z } from 'zod';
import { ASSIGNMENT_KINDS } from '../assignment/assignment-spec';
import { EscalationPolicySchema } from '../escalation/escalation-policy.schema';

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

export const TASK_KINDS = ['focus', 'breakthrough'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

const code = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'codes use letters, digits, ".", "_" and "-", no spaces')
  .describe('Mã / code: letters, digits, ".", "_", "-"');
const text = z.string().trim().min(1);
const date = z.iso.date().describe('Ngày / date, yyyy-mm-dd');
const ref = code.describe('Mã đơn vị hoặc nhóm đơn vị / unit or unit-group code');

export const PlanHeaderSchema = z.strictObject({
  code: code.describe('Mã kế hoạch / stable plan code used in workflow ids when the number is assumed'),
  number: z.string().regex(/^\S+$/, 'plan numbers have no spaces').describe('Số ký hiệu / document number, e.g. 12-KH/TU'),
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
  standingOffice: ref.describe("Unit that receives 'standing-office' notices (Văn phòng Tỉnh ủy)"),
  standingCommittee: ref.describe("Unit that receives 'standing-committee' notices (Thường trực / Ban Thường vụ)"),
});

export const TaskSchema = z.strictObject({
  code: code.describe('e.g. FT1 (nhiệm vụ tập trung 1), BT1 (nhiệm vụ đột phá 1)'),
  kind: z.enum(TASK_KINDS).describe('focus = nhiệm vụ tập trung; breakthrough = nhiệm vụ đột phá'),
  number: z.number().int().positive().describe('Số thứ tự trong văn bản / number in the document'),
  text: text.describe('Nội dung nguyên văn / full text as written'),
});

export const UnitSchema = z.strictObject({
  code,
  name: text.describe('Tên đơn vị / full name'),
  shortName: z.string().optional(),
  kind: z.enum(UNIT_KINDS),
  parent: ref.optional().describe('Đơn vị cấp trên / parent unit code'),
  validFrom: date.optional().describe('Có hiệu lực từ / valid from'),
  validTo: date.optional().describe('Hết hiệu lực / valid until (inclusive)'),
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
  slaSeconds: z.number().int().positive().optional(),
});

export const ApprovalChainSchema = z.strictObject({
  code,
  label: z.string().optional(),
  steps: z.array(ApprovalStepSchema).min(1),
});

export const NamedEscalationPolicySchema = z.strictObject({
  code,
  label: z.string().optional(),
  ...EscalationPolicySchema.shape,
});

export const ObligationReportSchema = z.strictObject({
  rhythm: text.describe('Nhịp báo cáo / e.g. "cuối hằng tháng", "ngày 25 hằng tháng", "ngày làm việc cuối cùng hằng tháng"'),
  firstPeriod: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a period is yyyy-mm')
    .describe('Kỳ báo cáo đầu tiên / first report period, yyyy-mm'),
  rhythmAssumed: z.boolean().default(false),
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
  report: ObligationReportSchema.optional().describe('Chế độ báo cáo định kỳ / only for monthly-report'),
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
