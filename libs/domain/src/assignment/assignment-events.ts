import type { Deadline, ScheduleEntry } from './assignment-spec';
import type { WaitKind, WaitLimit } from './waits';

/** The person who acted. History's `identity` is the worker's, so the person travels in the payload. */
export interface Actor {
  userId: string;
  name: string;
  unit: string;
  roles: string[];
}

export interface Attachment {
  name: string;
  /**
   * Where the file lives: a reference typed by hand (document system id, URL), or
   * `file:<id>` for a file uploaded and stored here (see attachment.ts).
   */
  ref: string;
  /** Stored files: SHA-256 of the content (hex), so an auditor can prove which file was approved. */
  sha256?: string;
  /** Stored files: size in bytes. */
  size?: number;
  /** Stored files: the media type read from the content. */
  mediaType?: string;
}

export type Decision = 'approve' | 'request-changes' | 'reject';

/** Everything that can happen to an assignment, in the order it happened. */
export type AssignmentEvent =
  | { type: 'opened'; at: string; deadline: Deadline; schedule: ScheduleEntry[] }
  | {
      type: 'submitted';
      at: string;
      version: number;
      text: string;
      attachments: Attachment[];
      by: Actor;
      /** For concretisation plans: the number of the plan this one carries out. */
      cites?: string;
      /** For monthly reports: difficulties that need the Standing Office now. */
      difficulties?: string;
    }
  | { type: 'approval-opened'; at: string; version: number; approvalId: string }
  | {
      type: 'approval-closed';
      at: string;
      version: number;
      approvalId: string;
      outcome: Decision;
      comment: string;
      by: Actor;
      onBehalfOf?: Actor;
      /** When changes are requested: the new deadline for the next version. */
      deadline?: Deadline;
      schedule?: ScheduleEntry[];
    }
  | { type: 'timer-fired'; at: string; index: number; entry: ScheduleEntry }
  | { type: 'extension-requested'; at: string; requestId: string; reason: string; proposedDate: string; by: Actor }
  | {
      type: 'extension-decided';
      at: string;
      requestId: string;
      granted: boolean;
      comment: string;
      by: Actor;
      /** The granted date (yyyy-mm-dd). Recorded at once; the new deadline follows as `deadline-rescheduled`. */
      date?: string;
      /** Older histories carry the new deadline in the decision itself. */
      deadline?: Deadline;
      schedule?: ScheduleEntry[];
    }
  | {
      /** The calendar's answer to a decision recorded just before (an extension granted). */
      type: 'deadline-rescheduled';
      at: string;
      cause: 'extension';
      requestId: string;
      deadline: Deadline;
      schedule: ScheduleEntry[];
    }
  | {
      /**
       * A side effect (read-model projection, notice) gave up after its retries, or met
       * data it can never write. Recorded so it shows in the audit log and the state,
       * instead of a workflow that waits for ever.
       */
      type: 'side-effect-failed';
      at: string;
      effect: 'projection' | 'notice';
      /** The notice key, for a notice. */
      key?: string;
      code: string;
      message: string;
      /** False when the failure is in the data: it is not tried again. */
      willRetry: boolean;
    }
  | { type: 'deadline-shifted'; at: string; reason: string; by: Actor; deadline: Deadline; schedule: ScheduleEntry[] }
  | { type: 'cancelled'; at: string; reason: string; by: Actor }
  | {
      /** The lead unit ended (reorganisation): the assignment passes, with its history, deadlines and escalation, to `to`. */
      type: 'handed-over';
      at: string;
      from: string;
      to: string;
      reason: string;
      by: Actor;
    }
  /** The lead unit asks coordinating units for written comments (xin ý kiến) on its draft. */
  | { type: 'comments-requested'; at: string; requestId: string; units: string[]; question: string; version: number; limit: WaitLimit; by: Actor }
  /** A coordinating unit's written comments on a request. */
  | { type: 'comment-given'; at: string; requestId: string; unit: string; text: string; by: Actor }
  /** Something began to wait on a person with a time limit (an extension decision): the calendar's answer. */
  | { type: 'wait-opened'; at: string; kind: WaitKind; ref: string; unit: string; since: string; deadline: Deadline }
  | { type: 'wait-escalated'; at: string; kind: WaitKind; ref: string; level: number }
  /** The body a report went to answered its reported difficulties (III.6). */
  | { type: 'difficulty-answered'; at: string; version: number; text: string; by: Actor }
  /** A report's difficulty no longer waits, unanswered: its plan closed first. */
  | { type: 'difficulty-closed'; at: string; version: number; reason: string };

export type AssignmentEventType = AssignmentEvent['type'];
