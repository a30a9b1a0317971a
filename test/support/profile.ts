import { PROFILES, profileEnv, type ProfileName } from '../../stack/profiles';
import { SERVER_NAMES } from '../../stack/server';
import { up } from '../../stack/stack';
import { TEST_ENV } from './env';

const assigned = new Set<string>();

/**
 * For runners outside `npm test` (fuzzing, benchmarks): a profile's servers (the test profile's unless
 * told), up, and its environment. What measures (benchmarks, the fault matrix, the soak) runs the
 * service as deployed: its answers are not checked against their schemas as the tests' are.
 */
export async function useTestProfile(
  say: (message: string) => void,
  name: Exclude<ProfileName, 'dev'> = 'test',
  purpose: 'measure' | 'check' = 'measure',
): Promise<void> {
  // A profile's variables replace those of the profile used before it in this process (the secure one has more).
  for (const key of assigned) delete process.env[key];
  const env = { ...profileEnv(PROFILES[name]), ...TEST_ENV, ...(purpose === 'measure' ? { MLG_CHECK_ANSWERS: 'off' } : {}) };
  for (const key of Object.keys(env)) assigned.add(key);
  Object.assign(process.env, env);
  await up(PROFILES[name], SERVER_NAMES, say);
}
