import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { addDays, localDateInVietnam } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { launchChromium, logInThroughForm, seeText } from '../support/browser';
import { importAndLaunchOne } from '../support/launch';
import { ownSeedPlan } from '../support/seed-plan';

/** Each person's browser context, closed with the browser. */
const contexts: BrowserContext[] = [];

const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * Issue 10: people by name and position where they acted, a delegated decision that names
 * both people and the delegation's dates, and four eyes: the first step's approver cannot
 * decide the second, with a refusal in the reader's language and no internal code.
 */
describe('people, delegation and four eyes in the browser', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let browser: Browser;
  let spec: AssignmentSpec;
  let assignmentId: string;
  const pages: Page[] = [];
  const today = localDateInVietnam(new Date());
  const until = addDays(today, 3);
  const names = { chief: 'Hồ Văn Thẩm', deputy: 'Trần Phó Bí Thư', standIn: 'Đặng Thị Thay' };
  const positions = { chief: 'Chánh Văn phòng Tỉnh ủy', deputy: 'Phó Bí thư Thường trực Tỉnh ủy', standIn: 'Ủy viên Ban Thường vụ Tỉnh ủy' };
  const users: Record<'drafter' | 'chief' | 'deputy' | 'standIn', string> = { drafter: '', chief: '', deputy: '', standIn: '' };
  const path = () => `/assignments/${encodeURIComponent(assignmentId)}`;

  const logIn = async (username: string) => {
    const page = await logInThroughForm(browser, contexts, api.baseUrl, username, TEST_PASSWORD);
    pages.push(page);
    return page;
  };

  beforeAll(async () => {
    const own = ownSeedPlan('E2E-4EYES');
    spec = own.specsFor('probe').find((s) => s.kind === 'drafting' && s.approvalChain?.length === 2 && s.taskCodes.includes('FT3'))!;
    const [review, sign] = spec.approvalChain!;
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const suffix = Date.now().toString(36);
    const people = {
      drafter: { displayName: 'Nguyễn Văn Soạn', unitCode: spec.leadUnit, roles: ['drafter'] },
      chief: { displayName: names.chief, unitCode: review.unit, roles: ['approver', review.role] },
      deputy: { displayName: names.deputy, unitCode: sign.unit, roles: ['approver', sign.role] },
      standIn: { displayName: names.standIn, unitCode: sign.unit, roles: ['approver'] },
    };
    const db = api.app.get(DataSource);
    for (const [who, p] of Object.entries(people) as [keyof typeof users, (typeof people)[keyof typeof users]][]) {
      users[who] = `4e-${who}-${suffix}`;
      await api.createUser({ username: users[who], displayName: p.displayName, unitCode: p.unitCode, roles: [...new Set(p.roles)] as never });
      if (who !== 'drafter') await db.query(`UPDATE users SET position = $2 WHERE username = $1`, [users[who], positions[who]]);
    }
    const admin = `4e-admin-${suffix}`;
    await api.createUser({ username: admin, displayName: 'Quản trị', unitCode: own.plan.plan.standingOffice, roles: ['administrator', 'standing-office'] });
    ({ assignmentId } = await importAndLaunchOne(api, await api.login(admin), own.text, spec.id));

    // Version 1 submitted and the first step approved by the chief, through the API.
    const drafter = await api.login(users.drafter);
    const submitted = await api.call('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/drafts`, drafter, { version: 1, text: 'Dự thảo kế hoạch', attachments: [] });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const approvalUrl = `/api/approvals/${encodeURIComponent(submitted.body.approvalId)}`;
    const chief = await api.login(users.chief);
    await eventually(async () => ((await api.call('GET', approvalUrl, chief)).status === 200 ? true : undefined), 30_000, 'the approval');
    const step1 = await api.call('POST', `${approvalUrl}/decision`, chief, { version: 1, step: review.step, decision: 'approve', comment: '' });
    expect(step1.status, JSON.stringify(step1.body)).toBe(200);
    await eventually(async () => ((await api.call('GET', approvalUrl, chief)).body.currentStep === sign.step ? true : undefined), 30_000, 'the second step open');
    // The deputy lends the second step to a colleague of the same unit for four days.
    const lent = await api.call('POST', '/api/delegations', await api.login(users.deputy), { toUsername: users.standIn, validFrom: today, validTo: until, reason: 'Đi công tác' });
    expect(lent.status, JSON.stringify(lent.body)).toBe(201);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const p of pages) await p.context().close().catch(() => undefined);
    await browser?.close();
    await api?.close();
    await worker?.close();
  });

  it('refuses the first step’s approver the second step, in Vietnamese and in English, without the internal code', async () => {
    const chief = await logIn(users.chief);
    await chief.goto(path());
    // The chain names the chief by name and position.
    await seeText(chief.getByRole('region', { name: 'Quy trình phê duyệt' }), `${names.chief}, ${positions.chief}`);
    const csrf = await chief.locator('input[name="_csrf"]').first().inputValue();
    for (const [lang, expected] of [
      ['vi', 'một người không được quyết định hai bước của cùng một chuỗi phê duyệt'],
      ['en', 'one person may not decide two steps of the same approval chain'],
    ] as const) {
      const res = await chief.request.post(`${path()}/decision?lang=${lang}`, {
        form: { _csrf: csrf, approvalId: `approval:${assignmentId}:v1`, version: '1', step: spec.approvalChain![1].step, decision: 'approve', comment: '' },
        maxRedirects: 0,
      });
      expect(res.status()).toBe(403);
      const html = await res.text();
      await chief.setContent(html);
      const alert = chief.getByRole('alert').first();
      await seeText(alert, expected);
      expect(await alert.innerText()).not.toContain('SAME_PERSON');
    }
  });

  it('lets the stand-in decide on the deputy’s authority, and the chain names both, with the delegation’s dates', async () => {
    const standIn = await logIn(users.standIn);
    await standIn.goto(path());
    await seeText(standIn.locator('#decide-on-behalf'), `thay mặt ${names.deputy}, ${positions.deputy}, theo ủy quyền từ ${ddmmyyyy(today)} đến ${ddmmyyyy(until)}`);
    await standIn.locator('#decision-form').getByLabel('Ý kiến').fill('Ký thay Phó Bí thư');
    await standIn.locator('#decision-form').getByRole('button', { name: 'Đồng ý', exact: true }).click();
    const chain = standIn.getByRole('region', { name: 'Quy trình phê duyệt' });
    await eventually(async () => {
      const text = await chain.innerText();
      if (text.includes(names.standIn)) return true;
      await standIn.reload();
      return undefined;
    }, 30_000, 'the delegated decision in the chain');
    await seeText(chain, `Đồng ý: ${names.standIn}, ${positions.standIn}`);
    await seeText(chain, `thay mặt ${names.deputy}, ${positions.deputy} theo ủy quyền từ ${ddmmyyyy(today)} đến ${ddmmyyyy(until)}`);
    await standIn.goto(`${path()}?lang=en`);
    await seeText(standIn.getByRole('region', { name: 'Approval chain' }), `on behalf of ${names.deputy}, ${positions.deputy}, delegated from ${ddmmyyyy(today)} to ${ddmmyyyy(until)}`);
  });
});
