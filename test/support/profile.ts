import { PROFILES, profileEnv } from '../../stack/profiles';
import { SERVER_NAMES } from '../../stack/server';
import { up } from '../../stack/stack';
import { TEST_ENV } from './env';

/** For runners outside `npm test` (fuzzing, benchmarks): the test profile's servers, up, and its environment. */
export async function useTestProfile(say: (message: string) => void): Promise<void> {
  Object.assign(process.env, profileEnv(PROFILES.test), TEST_ENV);
  await up(PROFILES.test, SERVER_NAMES, say);
}
