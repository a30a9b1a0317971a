import { PROFILES, profileEnv, type ProfileName } from '../../stack/profiles';
import { SERVER_NAMES } from '../../stack/server';
import { up } from '../../stack/stack';
import { TEST_ENV } from './env';

/** For runners outside `npm test` (fuzzing, benchmarks): a profile's servers (the test profile's unless told), up, and its environment. */
export async function useTestProfile(say: (message: string) => void, name: Exclude<ProfileName, 'dev'> = 'test'): Promise<void> {
  Object.assign(process.env, profileEnv(PROFILES[name]), TEST_ENV);
  await up(PROFILES[name], SERVER_NAMES, say);
}
