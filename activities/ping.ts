import { activityInfo } from '@temporalio/activity';

export interface PingInput {
  readonly message: string;
}

export interface PingResult {
  readonly message: string;
  readonly taskQueue: string;
  readonly attempt: number;
}

/** Answers from inside a worker: proves that a worker polls the task queue and runs activities. */
export async function ping(input: PingInput): Promise<PingResult> {
  const info = activityInfo();
  return { message: input.message, taskQueue: info.taskQueue, attempt: info.attempt };
}
