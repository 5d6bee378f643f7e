import type { Deadline, NoticeAudience } from './assignment-spec';

/**
 * How long a person may take to act on something that waits on them (an approval step,
 * an extension decision, an answer to a reported difficulty), counted from the moment it
 * starts waiting: working days as an office counts them, or seconds for tests.
 */
export type WaitLimit = { workingDays: number } | { seconds: number };

/** What an item waits for. */
export type WaitKind = 'approval-step' | 'extension-decision' | 'difficulty-answer' | 'coordination-comment';

/**
 * Who is waited on, since when and until when: the one shape the workflows' state, the
 * read model and the inbox use for everything that waits on a person.
 */
export interface WaitingOn {
  kind: WaitKind;
  /** The step code, the extension request id, the submission version of the difficulty, `<request>:<unit>` of a comment request. */
  ref: string;
  /** The unit that must act (and the role in it, for an approval step). */
  unit: string;
  role?: string;
  since: string;
  /** Absent when nothing sets a time limit for this wait. */
  deadline?: Deadline;
  /** 0 until the first escalation; then the highest escalation level reached. */
  level: number;
}

/**
 * A schedule entry's audience with `waited-on` turned into the unit waited on, so the
 * notice reaches that unit by code (`toUnits`) and nobody else by accident.
 */
export function addressWaitedOn(notify: readonly NoticeAudience[], waitedOnUnit: string): { audience: NoticeAudience[]; toUnits: string[] } {
  return { audience: notify.filter((a) => a !== 'waited-on'), toUnits: notify.includes('waited-on') ? [waitedOnUnit] : [] };
}
