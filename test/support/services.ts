import { loadConfig, type Config } from '../../platform/config';
import { openServices, type Services } from '../../platform/services';

/** The configuration the test runner set up: the test profile's servers and test-only names. */
export function testConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ ...process.env, ...overrides });
}

export function openTestServices(overrides: NodeJS.ProcessEnv = {}): Promise<Services> {
  return openServices(testConfig(overrides));
}

/** A name no other test run uses, for topics, indices and task queues. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
