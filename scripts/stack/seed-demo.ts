import { hash } from '@node-rs/argon2';
import { Client } from 'pg';
import { createWorkingCalendar, expandPlan, parsePlanDefinition } from '@dieu-hanh/domain';

export interface DemoAccount {
  username: string;
  displayName: string;
  unitCode: string;
  roles: string[];
  password: string;
  /** Chức vụ, shown on audit timelines: "Nguyễn Văn A (Chuyên viên, Ban cán sự đảng UBND tỉnh)". */
  position?: string;
}

const DEMO_PASSWORD = 'demo-2020';

/**
 * Demo accounts derived from the plan itself (so another plan gets its own):
 * a drafter and a unit head of the first drafting unit, one approver per approval
 * step, a district drafter, the Standing Office, an auditor and an administrator.
 */
export function demoAccountsFor(planText: string): DemoAccount[] {
  const parsed = parsePlanDefinition(planText);
  if (!parsed.ok) throw new Error(`seed plan invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const plan = parsed.plan;
  const specs = expandPlan(plan, createWorkingCalendar());
  const drafting = specs.find((s) => s.kind === 'drafting' && s.approvalChain?.length);
  const concretising = specs.find((s) => s.kind === 'concretisation');
  const office = plan.plan.standingOffice;
  const accounts: DemoAccount[] = [
    { username: 'quantri', displayName: 'Quản trị hệ thống', unitCode: office, roles: ['administrator'], password: DEMO_PASSWORD, position: 'Quản trị viên' },
    { username: 'vanphong', displayName: 'Chuyên viên Văn phòng Tỉnh ủy', unitCode: office, roles: ['standing-office'], password: DEMO_PASSWORD, position: 'Chánh Văn phòng' },
    { username: 'kiemtra', displayName: 'Ủy ban Kiểm tra (kiểm toán)', unitCode: office, roles: ['auditor'], password: DEMO_PASSWORD, position: 'Kiểm tra viên' },
  ];
  if (drafting) {
    accounts.push(
      { username: 'soanthao', displayName: 'Chuyên viên soạn thảo', unitCode: drafting.leadUnit, roles: ['drafter'], password: DEMO_PASSWORD, position: 'Chuyên viên' },
      { username: 'lanhdao', displayName: 'Lãnh đạo đơn vị', unitCode: drafting.leadUnit, roles: ['unit-head'], password: DEMO_PASSWORD, position: 'Phó Bí thư Ban cán sự đảng' },
    );
    drafting.approvalChain!.forEach((step, i) =>
      accounts.push({
        username: `pheduyet${i + 1}`,
        displayName: `Người phê duyệt: ${step.label}`,
        unitCode: step.unit,
        roles: [...new Set(['approver', step.role])],
        password: DEMO_PASSWORD,
        // The last step is the Standing Committee's head; earlier ones its deputies.
        position: i === drafting.approvalChain!.length - 1 ? 'Bí thư Tỉnh ủy' : 'Phó Bí thư Thường trực Tỉnh ủy',
      }),
    );
  }
  if (concretising) {
    accounts.push({ username: 'huyen', displayName: 'Chuyên viên cấp huyện', unitCode: concretising.leadUnit, roles: ['drafter', 'unit-head'], password: DEMO_PASSWORD, position: 'Chuyên viên' });
  }
  return accounts;
}

/** Creates the demo accounts (idempotent), then imports and launches the plan through the API. */
export async function seedDemo(baseUrl: string, databaseUrl: string, planText: string): Promise<DemoAccount[]> {
  const accounts = demoAccountsFor(planText);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    for (const a of accounts) {
      await db.query(
        `INSERT INTO users (username, display_name, password_hash, unit_code, roles, position) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (username) DO UPDATE SET position = COALESCE(users.position, EXCLUDED.position)`,
        [a.username, a.displayName, await hash(a.password), a.unitCode, a.roles, a.position ?? null],
      );
    }
  } finally {
    await db.end();
  }

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const login = await call('POST', '/api/auth/login', undefined, { username: 'quantri', password: DEMO_PASSWORD });
  const token = login.body.token as string;
  const imported = await call('POST', '/api/plans', token, { definition: planText });
  if (imported.status >= 300) throw new Error(`seed import failed: ${JSON.stringify(imported.body)}`);
  const launched = await call('POST', `/api/plans/${String(imported.body.id)}/launch`, token, {});
  if (launched.status >= 300 && launched.status !== 409) throw new Error(`seed launch failed: ${JSON.stringify(launched.body)}`);
  return accounts;
}
