import { describe, expect, it } from 'vitest';
import { noticeEmail, noticeHeadline } from './notice-text';

const notice = { kind: 'escalation', level: 2, subject: 'Cảnh báo quá hạn (cấp 2): Dự thảo FT1', body: 'Hạn 2026-11-30 đã qua; cập nhật lúc 2026-12-01T02:00:00Z.' };
const facts = { title: 'Dự thảo FT1', planNumber: '06-KH/TU', deadline: '2026-11-30' };

describe('notices in the reader\'s language', () => {
  it('keeps the workflow\'s Vietnamese text for Vietnamese readers, dates dd/mm/yyyy', () => {
    expect(noticeEmail('vi', notice, facts, 'http://x/a')).toEqual({
      subject: 'Cảnh báo quá hạn (cấp 2): Dự thảo FT1',
      text: 'Hạn 30/11/2026 đã qua; cập nhật lúc 01/12/2026 09:00.\n\nhttp://x/a',
    });
  });

  it('writes the headline in English and quotes the Vietnamese original for English readers', () => {
    const { subject, text } = noticeEmail('en', notice, facts, 'http://x/a');
    expect(subject).toBe('Escalation (level 2): Dự thảo FT1 — Plan No. 06-KH/TU, due 30/11/2026');
    expect(text).toBe(`${subject}\n\nOriginal text (Vietnamese):\nCảnh báo quá hạn (cấp 2): Dự thảo FT1\nHạn 30/11/2026 đã qua; cập nhật lúc 01/12/2026 09:00.\n\nhttp://x/a`);
  });

  it('uses the same words as the notifications page in both languages, and the summary\'s own subject', () => {
    expect(noticeHeadline('vi', { kind: 'reminder', level: 0, subject: '' }, facts)).toBe('Nhắc hạn: Dự thảo FT1 — Kế hoạch số 06-KH/TU, hạn 30/11/2026');
    expect(noticeHeadline('en', { kind: 'summary', level: 0, subject: 'Tổng hợp tuần 2026-11-30' }, facts)).toBe('Overdue summary: Tổng hợp tuần 30/11/2026');
    expect(noticeHeadline('en', { kind: 'reminder', level: 0, subject: 's' }, undefined)).toBe('Reminder: s');
  });
});
