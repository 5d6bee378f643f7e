import { hash } from '@node-rs/argon2';
import { Client } from 'pg';
import type { PlanDefinition } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { loopbackAddress, request } from './http-client';

export const PASSWORD = 'faults-password-2020';

export interface Person {
  username: string;
  unit: string;
  roles: string[];
  email: string;
  /** Each person calls from an address of their own, as people do. */
  address: string;
  token?: string;
}

export interface People {
  office: Person;
  deputy: Person;
  /** Used only by the hostile login cases, which spend its allowance; belongs to no unit of the plan. */
  loginOnly: Person;
  /** An auditor (read-only everywhere), for the compact authorization table. */
  auditor: Person;
  /** The drafter and unit head of each lead unit (one account holding both roles). */
  byUnit: Map<string, Person>;
  all: Person[];
  /** E-mail address -> unit, to tell which unit a received mail went to. */
  unitOfEmail(email: string): string | undefined;
}

/**
 * Accounts as scripts/stack/seed-demo.ts makes them (rows in `users`, password hashed with
 * argon2), for every unit the plan needs: the Standing Office (also step 1 of every chain), the
 * Standing Board deputy (step 2), and one drafter/unit head per lead unit. Everyone has an
 * e-mail address, so every notice is also an e-mail.
 */
export async function seedPeople(databaseUrl: string, plan: PlanDefinition, specs: AssignmentSpec[]): Promise<People> {
  const chainRoles = (unit: string) => plan.approvalChains.flatMap((c) => c.steps).filter((s) => s.unit === unit).map((s) => s.role);
  const office = plan.plan.standingOffice;
  const committee = plan.plan.standingCommittee;
  let n = 10;
  const person = (username: string, unit: string, roles: string[]): Person => ({
    username,
    unit,
    roles: [...new Set(roles)],
    email: `${username}@${unit.toLowerCase()}.faults.test`,
    address: loopbackAddress(n++),
  });
  const people: Person[] = [
    person('f-office', office, ['standing-office', 'administrator', 'approver', ...chainRoles(office)]),
    person('f-deputy', committee, ['approver', ...chainRoles(committee)]),
  ];
  const byUnit = new Map<string, Person>();
  for (const unit of [...new Set(specs.map((s) => s.leadUnit))].sort()) {
    const p = person(`f-${unit.toLowerCase()}`, unit, ['drafter', 'unit-head']);
    byUnit.set(unit, p);
    people.push(p);
  }
  const loginOnly = person('f-login-only', 'F-NGOAI-KE-HOACH', ['drafter']);
  const auditor = person('f-auditor', 'F-KIEM-TRA', ['auditor']);
  people.push(loginOnly, auditor);
  // One hash for all: argon2 is slow on purpose, and the same password verifies against it.
  const passwordHash = await hash(PASSWORD);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    for (const p of people) {
      await db.query(
        `INSERT INTO users (username, display_name, password_hash, unit_code, roles, email) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (username) DO NOTHING`,
        [p.username, `Thử nghiệm ${p.username}`, passwordHash, p.unit, p.roles, p.email],
      );
    }
  } finally {
    await db.end();
  }
  const emails = new Map(people.map((p) => [p.email, p.unit]));
  return { office: people[0]!, deputy: people[1]!, loginOnly, auditor, byUnit, all: people, unitOfEmail: (e) => emails.get(e.toLowerCase()) };
}

/** Logs everyone in through POST /api/auth/login, each from their own address. */
export async function logIn(baseUrl: string, people: People): Promise<void> {
  const queue = [...people.all];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      const res = await request(baseUrl, { method: 'POST', path: '/api/auth/login', body: { username: p.username, password: PASSWORD }, localAddress: p.address });
      if (res.status !== 200 || typeof res.body?.token !== 'string') throw new Error(`login ${p.username}: ${res.status} ${res.text.slice(0, 300)}`);
      p.token = res.body.token as string;
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}
