import { condition, continueAsNew, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { WebhookActivities, WebhookLane } from './activities.contract';

export interface WebhookDispatcherInput {
  /** Seconds between looks at the event log when nothing wakes the dispatcher (default 5). */
  pollSeconds?: number;
  /** Delivery retries: first pause, longest pause (seconds), attempts before a delivery is marked failed. */
  retry?: { initialSeconds?: number; maximumSeconds?: number; maximumAttempts?: number };
}

/** Sent when a subscriber is registered (and may be sent any time): look at the log now. */
export const webhookWakeSignal = defineSignal('wake');

/** Rounds before continue-as-new keeps the history short. */
const ROUNDS_PER_RUN = 200;

/**
 * Outbound webhooks (issue 14). Runs apart from every assignment and approval workflow: it reads
 * the events their side-effect loops already projected (after each person's Update was answered),
 * so a slow or failing receiver can never slow a person's action. Each delivery is an activity
 * with retries and exponential backoff: at least once, in order per subscriber, one lane per
 * subscriber so one receiver that is down holds up only its own deliveries.
 */
export async function webhookDispatcherWorkflow(input: WebhookDispatcherInput = {}): Promise<void> {
  const { claimWebhookDeliveries, pendingWebhookDeliveries, markWebhookFailed } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  const { deliverWebhook } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: `${input.retry?.initialSeconds ?? 5} seconds`,
      backoffCoefficient: 2,
      maximumInterval: `${input.retry?.maximumSeconds ?? 600} seconds`,
      maximumAttempts: input.retry?.maximumAttempts ?? 25,
    },
  });
  let woken = false;
  setHandler(webhookWakeSignal, () => {
    woken = true;
  });
  // One lane per subscriber, each draining its own deliveries in order: a receiver that is down
  // holds up only its own lane, never the others nor the next look at the log.
  const busy = new Set<string>();
  const drain = async (lane: WebhookLane) => {
    try {
      for (const deliveryId of lane.deliveryIds) {
        try {
          await deliverWebhook({ deliveryId });
        } catch (err) {
          await markWebhookFailed({ deliveryId, error: err instanceof Error ? err.message : String(err) });
        }
      }
    } finally {
      busy.delete(lane.subscriptionId);
      woken = true;
    }
  };
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    await claimWebhookDeliveries();
    for (const lane of await pendingWebhookDeliveries({ perLane: 100 })) {
      if (busy.has(lane.subscriptionId)) continue;
      busy.add(lane.subscriptionId);
      void drain(lane);
    }
    await condition(() => woken, (input.pollSeconds ?? 5) * 1000);
    woken = false;
  }
  await condition(() => busy.size === 0);
  await continueAsNew<typeof webhookDispatcherWorkflow>(input);
}
