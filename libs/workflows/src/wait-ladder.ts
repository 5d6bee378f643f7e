import { condition } from '@temporalio/workflow';
import type { AssignmentSpec, ScheduleEntry } from '@dieu-hanh/domain/assignment';

/**
 * Runs the timers of something that waits on a person (an approval step, an extension
 * decision) until it is done. An entry whose successor is already due when it fires was
 * missed (the worker was down, or the wait opened late): it is passed with `missed`, so
 * people get only the latest notice, as with an assignment's own timers.
 */
export async function runWaitLadder(
  schedule: readonly ScheduleEntry[],
  done: () => boolean,
  onEntry: (entry: ScheduleEntry, index: number, missed: boolean) => void,
): Promise<void> {
  for (let index = 0; index < schedule.length; index++) {
    const entry = schedule[index];
    const wait = Date.parse(entry.at) - Date.now();
    if (wait > 0 && (await condition(done, wait))) return;
    if (done()) return;
    const successor = schedule[index + 1];
    onEntry(entry, index, successor !== undefined && Date.parse(successor.at) <= Date.now());
  }
}

/**
 * Whether a timer's notice is left to the periodic summary: the policy has a summary and the
 * entry repeats an escalation level already notified. The first reminder and every new level
 * still notify at once.
 */
export function foldedIntoSummary(policy: AssignmentSpec['escalationPolicy'], entry: ScheduleEntry, levelNotified: number): boolean {
  return policy?.summary !== undefined && entry.type === 'escalation' && entry.level <= levelNotified;
}
