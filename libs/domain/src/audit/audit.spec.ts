import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildTimeline,
  canonicalJson,
  decodePayloads,
  extractHistory,
  formatTime,
  historyJsonProblems,
  nestsDeeperThan,
  payloadOnlyDirectory,
  projectedSnapshots,
  stateAtEvent,
  workflowIdOf,
  type HistoryJson,
} from './index';

const DIR = path.join(__dirname, '..', '..', '..', '..', 'test', 'workflows', 'histories');
const fixture = (name: string) => JSON.parse(readFileSync(path.join(DIR, name), 'utf8')) as { workflowId: string; history: HistoryJson };
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('audit: reading histories exported by the temporal CLI', () => {
  it.each(fixtures)('%s is a valid history whose workflow id follows from its input', (file) => {
    const { workflowId, history } = fixture(file);
    expect(historyJsonProblems(history)).toEqual([]);
    expect(workflowIdOf(extractHistory(history))).toBe(workflowId);
  });

  it.each(fixtures.filter((f) => !f.startsWith('monthly') && !f.startsWith('approval') && !f.startsWith('plan')))(
    '%s: folding the projected events with the workflow reducer gives every snapshot the workflow projected, and its result',
    (file) => {
      const { history } = fixture(file);
      const extracted = extractHistory(history);
      const seqs = extracted.records.flatMap((r) => (r.type === 'assignment-event' ? [r.seq] : []));
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      // Fixtures were recorded by older code; today's reducer may add fields (requiresApproval), never change one.
      for (const snapshot of projectedSnapshots(history)) {
        expect(stateAtEvent(extracted, snapshot.eventId).state).toMatchObject(snapshot.state);
      }
      const completed = history.events.at(-1)!;
      expect(completed.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
      const result = decodePayloads((completed.workflowExecutionCompletedEventAttributes as { result: { payloads: [] } }).result)[0];
      expect(stateAtEvent(extracted, history.events.length).state).toMatchObject(result as object);
    },
  );

  it('tells a reorganisation hand-over and an amendment in the domain words', () => {
    const timeline = (file: string) => {
      const { workflowId, history } = fixture(file);
      return buildTimeline({ workflowId, runId: 'r', history, extracted: extractHistory(history) }).map((e) => e.text.vi);
    };
    expect(timeline('assignment-handed-over-by-reorganisation.json').some((t) => t.startsWith('Chuyển giao từ HU-CK sang DU-X-CAUKE lúc '))).toBe(true);
    expect(timeline('assignment-deadline-moved-by-amendment.json').some((t) => /^Điều chỉnh hạn đến 31\/12\/2027 .*"Điều chỉnh kế hoạch .*@v2: /.test(t))).toBe(true);
  });

  it('tells a request for comments and each coordinating unit\'s comments, with the reminders and escalations of the unit that was late', () => {
    const { workflowId, history } = fixture('assignment-coordination-comments-escalated.json');
    const entries = buildTimeline({ workflowId, runId: 'r', history, extracted: extractHistory(history) });
    const texts = entries.map((e) => e.text.vi);
    expect(texts.some((t) => /^Xin ý kiến UNIT-B, UNIT-C do .* "Xin ý kiến dự thảo"$/.test(t))).toBe(true);
    expect(texts.some((t) => /^Ý kiến của UNIT-B do .*: "Thống nhất"$/.test(t))).toBe(true);
    expect(texts.some((t) => /^Ý kiến của UNIT-C do .*: "Góp ý muộn"$/.test(t))).toBe(true);
    expect(texts.some((t) => t.includes('Quá hạn cho ý kiến (cấp 1)'))).toBe(true);
  });

  it('tells the send-back story in the domain words, with people and dd/mm/yyyy times', () => {
    const { workflowId, history } = fixture('drafting-send-back-then-approved.json');
    const entries = buildTimeline({ workflowId, runId: 'r', history, extracted: extractHistory(history) });
    const texts = entries.map((e) => e.text.vi);
    expect(texts.some((t) => /^Phiên bản 1 do drafter \(UNIT-A\) trình lúc \d\d:\d\d \d\d\/\d\d\/\d{4}$/.test(t))).toBe(true);
    expect(texts.some((t) => t.startsWith('Phiên bản 2 do'))).toBe(true);
    expect(texts.some((t) => t.startsWith('Yêu cầu chỉnh sửa phiên bản 1'))).toBe(true);
    expect(entries.every((e) => e.eventId >= 1 && e.eventId <= history.events.length)).toBe(true);
  });

  it('reminders and escalations name their recipients and whether the e-mail went out, once each', () => {
    const { workflowId, history } = fixture('assignment-escalated-then-done.json');
    const extracted = extractHistory(history);
    const keys = extracted.records.flatMap((r) => (r.type === 'notice' ? [r.notice.key] : []));
    const deliveries = keys.map((key) => ({ key, recipientUnit: 'UNIT-A', emailedAt: '2026-11-26T15:00:00Z' }));
    const directory = { person: payloadOnlyDirectory.person, unitName: (code: string) => (code === 'UNIT-A' ? 'Ban cán sự đảng UBND tỉnh' : undefined) };
    const entries = buildTimeline({ workflowId, runId: 'r', history, extracted, deliveries, directory });
    const reminders = entries.filter((e) => e.kind === 'reminder');
    expect(reminders.map((e) => e.text.vi)).toEqual(['Nhắc hạn lần 1 gửi Ban cán sự đảng UBND tỉnh (thư điện tử đã gửi)']);
    expect(reminders[0]).toMatchObject({ recipients: ['Ban cán sự đảng UBND tỉnh'], emailed: true });
    const escalations = entries.filter((e) => e.kind === 'escalation');
    expect(escalations.map((e) => e.changes?.[0].after)).toEqual(['1', '2']);
    expect(escalations.every((e) => e.text.vi.startsWith('Báo cáo '))).toBe(true);
  });

  it('approval histories: decisions with the delegator named', () => {
    const { workflowId, history } = fixture('approval-delegated-sign-off.json');
    const extracted = extractHistory(history);
    const entries = buildTimeline({ workflowId, runId: 'r', history, extracted });
    expect(entries.some((e) => e.kind === 'approval-decided' && e.onBehalfOf && e.text.vi.includes('theo ủy quyền của'))).toBe(true);
    const final = stateAtEvent(extracted, history.events.length);
    expect(final.kind).toBe('approval');
  });

  it('formats times in Asia/Ho_Chi_Minh', () => {
    expect(formatTime('2020-01-27T07:05:00Z')).toBe('14:05 27/01/2020');
  });

  it('canonical JSON sorts keys and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }] })).toBe('{"a":[{"c":null,"d":"x"}],"b":1}');
  });

  it('measures nesting without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestsDeeperThan(deep, 64)).toBe(true);
    expect(nestsDeeperThan(fixture('approval-delegated-sign-off.json').history, 64)).toBe(false);
  });

  it('names what is wrong with a file that is not a history', () => {
    expect(historyJsonProblems({ foo: 1 })[0].path).toBe('events');
    expect(historyJsonProblems({ events: [{ eventId: '2', eventType: 'x', eventTime: 'y' }] }).map((p) => p.path)).toEqual([
      'events[0].eventId',
      'events[0].eventType',
      'events[0].eventTime',
    ]);
  });
});
