import { describe, expect, it } from 'vitest';
import { failures, renderTable, type Figure } from './report';
import { checkLedger } from './reconcile';
import { parseMessage } from '../support/smtp';
import type { LedgerEntry } from './actions';

const entry = (marker: string, finalStatus: number, workflowId = 'wf'): LedgerEntry => ({
  id: marker,
  kind: 'submit',
  phase: 'p',
  assignmentId: workflowId,
  workflowId,
  marker,
  idempotencyKey: 'k',
  attempts: [],
  finalStatus,
  finalBody: undefined,
  startedAt: 0,
  endedAt: 0,
});

describe('fault suite verdicts', () => {
  it('fails on a non-zero or unmeasured must-be-zero figure, never on a count', () => {
    const figures: Figure[] = [
      { label: 'assignments in flight', value: 120, mustBeZero: false },
      { label: 'decisions lost', value: 0, mustBeZero: true },
      { label: 'duplicates', value: 2, mustBeZero: true },
      { label: 'hung requests', value: undefined, mustBeZero: true, note: 'not measured' },
    ];
    expect(failures(figures).map((f) => f.label)).toEqual(['duplicates', 'hung requests']);
    const table = renderTable(figures);
    expect(table).toMatch(/\| duplicates +\| +2 \| FAIL +\|/);
    expect(table).toMatch(/\| decisions lost +\| +0 \| ok +\|/);
    expect(table).toMatch(/\| assignments in flight +\| +120 \| +\|/);
  });

  it('tells a lost action, a duplicated one and one recorded although the client heard no', () => {
    const ledger = [entry('[m1]', 201), entry('[m2]', 201), entry('[m3]', 200), entry('[m4]', 0)];
    const states = new Map<string, unknown>([['wf', { submissions: [{ text: 'a [m1]' }, { text: 'b [m3]' }, { text: 'c [m3]' }, { text: 'd [m4]' }] }]]);
    const check = checkLedger(ledger, states);
    expect(check.succeeded).toBe(3);
    expect(check.lost.map((e) => e.marker)).toEqual(['[m2]']);
    expect(check.duplicated.map((e) => e.marker)).toEqual(['[m3]']);
    expect(check.recordedWithoutSuccess.map((e) => e.marker)).toEqual(['[m4]']);
  });

  it('reads subject and text of a quoted-printable message with encoded words', () => {
    const raw = [
      'Subject: =?UTF-8?Q?Nh=E1=BA=AFc_h=E1=BA=A1n?= =?UTF-8?Q?:_X?=',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'H=E1=BA=A1n hi=E1=BB=87u l=E1=BB=B1c=',
      ' 2026\r\nhttp://x/assignments/a%3Ab',
    ].join('\r\n');
    expect(parseMessage(raw)).toEqual({ subject: 'Nhắc hạn: X', text: 'Hạn hiệu lực 2026\nhttp://x/assignments/a%3Ab' });
  });
});
