import type { Deadline, ScheduleEntry } from './assignment-spec';

/** The person who acted. History's `identity` is the worker's, so the person travels in the payload. */
export interface Actor {
  userId: string;
  name: string;
  unit: string;
  roles: string[];
}

export interface Attachment {
  name: string;
  /** A reference to where the file lives (document system id, URL); files are not stored here. */
  ref: string;
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
      deadline?: Deadline;
      schedule?: ScheduleEntry[];
    }
  | { type: 'deadline-shifted'; at: string; reason: string; by: Actor; deadline: Deadline; schedule: ScheduleEntry[] }
  | { type: 'cancelled'; at: string; reason: string; by: Actor };

export type AssignmentEventType = AssignmentEvent['type'];
