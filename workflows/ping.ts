import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PingInput, PingResult } from '../activities/ping';

const { ping } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
});

/** A liveness probe through the whole engine: client → server → worker → activity → back. */
export async function pingWorkflow(input: PingInput): Promise<PingResult> {
  return ping(input);
}

/** Does nothing: the benchmarks' reference for what one workflow start costs the engine on this machine. */
export async function noopWorkflow(): Promise<void> {}
