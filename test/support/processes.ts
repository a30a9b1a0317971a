import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { PipelineRole } from '../../workers/pipeline';

/** A pipeline process of its own (`workers/main.ts`: `npm run worker`, `npm run consumer`, or both), with the given environment. */
export function startPipelineProcess(role: PipelineRole, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts', role], {
    env: { ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Stops the processes still running (SIGTERM, a clean shutdown) and waits for each to exit. */
export async function stopProcesses(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map(async (child) => {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }),
  );
}
