import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/** The baseline: a bare Temporal workflow that waits for one Update and completes. */
export const bareSubmit = defineUpdate<number, [string]>('submit');

export async function bareWorkflow(): Promise<void> {
  let done = false;
  setHandler(bareSubmit, (text) => {
    done = true;
    return text.length;
  });
  await condition(() => done);
}
