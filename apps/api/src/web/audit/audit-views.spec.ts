import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '@dieu-hanh/domain/audit';
import { formatDate, formatDateTime } from '../deadline-status';
import { translator } from '../i18n/i18n';
import { AUDIT_VIEWS_DIR, WEB_VIEWS_DIR } from '../web-paths';
import { timelinePrintHtml } from './timeline-print';
import { parseAt } from './audit-pages.service';

const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([WEB_VIEWS_DIR, AUDIT_VIEWS_DIR]), { autoescape: true, throwOnUndefined: false });
env.addFilter('date', formatDate);
env.addFilter('datetime', formatDateTime);
env.addFilter('uri', (v: string) => encodeURIComponent(v));

const t = translator('vi');
const common = { t, lang: 'vi', langs: [], user: { name: 'Võ Thị Kiểm', unit: 'UBKT-TU', roles: ['auditor'] }, csrfToken: 'x', currentPath: '/audit', statusLegend: [] };
const person = { userId: 'u1', name: 'Nguyễn Văn Soạn', position: 'Chuyên viên', unit: 'BCSD-UBND', unitName: 'Ban cán sự đảng UBND tỉnh' };
const entries: TimelineEntry[] = [
  { eventId: 11, at: '2020-01-27T07:05:00Z', kind: 'submitted', actor: person, text: { vi: 'Phiên bản 1 do Nguyễn Văn Soạn trình', en: 'Version 1 submitted' }, workflowId: 'drafting:P@v1:FT3:BCSD-UBND', runId: 'r1' },
  { eventId: 12, at: '2020-01-27T08:00:00Z', kind: 'refused', refused: true, actor: { ...person, name: 'Võ Thị <Kiểm>' }, text: { vi: 'Từ chối: kiểm tra viên không được ghi', en: 'Refused' }, changes: [{ field: 'Hạn', before: '31/01/2020', after: '07/02/2020' }], recipients: ['VP-TU'], emailed: true, workflowId: 'drafting:P@v1:FT3:BCSD-UBND', runId: 'r1' },
];

describe('auditor page templates', () => {
  it('the timeline page: people, times +07, refused entries marked, the state panel and a verification result', () => {
    const html = env.render('audit-workflow.njk', {
      ...common,
      title: 'Lịch sử',
      id: 'drafting:P@v1:FT3:BCSD-UBND',
      timeline: { workflowType: 'assignment' },
      chain: { source: 'temporal', runs: [{ runId: 'r1', events: 40 }] },
      entries: entries.map((entry) => ({ entry, text: entry.text.vi, who: `${entry.actor!.name} (Chuyên viên, Ban cán sự đảng UBND tỉnh)`, at: String(entry.eventId), base: '/audit/workflows/drafting%3AP%40v1%3AFT3%3ABCSD-UBND', own: true })),
      selectedAt: '11',
      state: { kind: 'assignment', eventId: 11, at: '2020-01-27T07:05:00Z', assignment: { lifecycle: 'Chờ phê duyệt', status: { code: 'not-due', label: 'Chưa đến hạn' }, version: 1, approvals: [], nominal: '2020-01-31', effective: '2020-01-31', original: '2020-01-31', escalationLevel: 0 } },
      verification: { workflowId: 'x', runId: 'r1', ok: true },
      temporalUrl: 'http://localhost:8233/namespaces/n/workflows/x',
      multiRun: false,
    });
    expect(html).toContain('Nguyễn Văn Soạn (Chuyên viên, Ban cán sự đảng UBND tỉnh)');
    expect(html).toContain('27/01/2020 14:05');
    expect(html).toContain('Bị từ chối');
    expect(html).toContain('Võ Thị &lt;Kiểm&gt;');
    expect(html).toContain('Nhất quán');
    expect(html).toContain('Chờ phê duyệt');
    expect(html).toContain('31/01/2020');
    expect(html).toMatch(/<option value="11" selected>/);
    expect(html).toContain('Hạn: 31/01/2020 → 07/02/2020');
  });

  it('the home, plan, job, event and access log pages render', () => {
    expect(env.render('audit-home.njk', { ...common, plans: [{ key: 'P@v1', title: 'Kế hoạch', launchedAt: new Date() }], delegations: [], refusals: [], archiveResult: { ok: false, checked: 2, firstMismatch: { id: 3, workflowId: 'w', runId: 'r', reason: 'digest' } } })).toContain('Chuỗi lưu trữ bị sai lệch từ bản lưu thứ 3');
    expect(env.render('audit-plan.njk', { ...common, title: 'P', plan: { key: 'P@v1', launchedAt: new Date() }, rows: [], temporalUrl: () => '' })).toContain('Kiểm tra tái hiện toàn bộ kế hoạch');
    const job = { id: 'j', plan: 'P@v1', progress: { done: 1, total: 3 } };
    expect(env.render('audit-job.njk', { ...common, title: 'J', job, results: [], counts: {}, finished: false })).toContain('Đã kiểm tra 1/3 quy trình');
    const done = env.render('audit-job.njk', { ...common, title: 'J', job, finished: true, counts: { total: 1, consistent: 0, inconsistent: 1, failed: 0 }, results: [{ workflowId: 'w', ok: false, error: { eventId: 14, message: 'nondeterminism' } }] });
    expect(done).toContain('tại sự kiện 14: nondeterminism');
    expect(env.render('audit-event.njk', { ...common, title: 'E', workflowId: 'w', runId: 'r', json: '{"eventId":"1"}' })).toContain('{&quot;eventId&quot;:&quot;1&quot;}');
    expect(env.render('audit-access-log.njk', { ...common, entries: [{ at: new Date('2020-01-27T07:05:00Z'), userName: 'A', username: 'a', userUnit: 'U', action: 'timeline.view', method: 'GET', path: '/audit/x', target: 'x', channel: 'web', status: 200 }], query: {} })).toContain('timeline.view');
  });

  it('the printable timeline stands alone (no navigation, no script) and escapes what people typed', () => {
    const html = timelinePrintHtml({ title: 'Dòng thời gian', sections: [{ workflowId: 'w', title: 'Nhiệm vụ', entries }], lang: 'vi', t, generatedAt: new Date('2020-01-28T01:00:00Z'), generatedBy: 'Võ Thị Kiểm' });
    expect(html).toContain('[Bị từ chối]');
    expect(html).toContain('Lập lúc 28/01/2020 08:00 bởi Võ Thị Kiểm');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<Kiểm>');
  });

  it('reads ?at= strictly', () => {
    expect(parseAt('12')).toEqual({ eventId: 12, runId: undefined });
    expect(parseAt('12:0a1b-2c')).toEqual({ eventId: 12, runId: '0a1b-2c' });
    for (const bad of ['', '0', '-1', 'x', '1;drop', undefined, ['1']]) expect(parseAt(bad)).toBeUndefined();
  });
});
