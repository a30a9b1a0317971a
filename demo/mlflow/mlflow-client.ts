import path from 'node:path';
import { run } from '../../stack/shell';

const SCRIPT = path.join(import.meta.dirname, 'mlflow_client.py');

/** A model version MLflow's client trained and registered: what `train` and `seed` print. */
export interface Trained {
  readonly experiment_id: string;
  readonly run_id: string;
  readonly model: string;
  readonly version: string;
  readonly dataset: { readonly name: string; readonly digest: string };
}

/**
 * MLflow's own Python client (in the virtual environment of the local MLflow), driving a real server
 * through `mlflow_client.py`: the demo's seed and the tests' actions.
 */
export function mlflowClient(venv: string, trackingUri: string) {
  const call = async <T>(...args: string[]): Promise<T> => {
    const out = await run(path.join(venv, 'bin', 'python'), [SCRIPT, trackingUri, ...args], {
      env: { ...process.env, MLFLOW_TRACKING_URI: trackingUri, PYTHONWARNINGS: 'ignore' },
    });
    return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as T;
  };
  return {
    seed: () => call<{ created: Trained[] }>('seed'),
    train: (experiment: string, model: string, location: string, user: string, alias?: string) =>
      call<Trained>('train', experiment, model, location, user, ...(alias ? [alias] : [])),
    deleteVersion: (model: string, version: string) => call<unknown>('delete-version', model, version),
    createWebhook: (url: string, secret: string) => call<{ webhook_id: string }>('webhook', url, secret),
  };
}
