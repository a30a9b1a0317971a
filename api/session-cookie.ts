import { createHash } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { z } from 'zod';

export const SESSION_COOKIE = 'mlg_session';
export const PENDING_COOKIE = 'mlg_sign_in';

/** A signed-in person's tokens, as the session cookie holds them. */
export const session = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().nullable(),
  /** When the access token expires (ms since the epoch). */
  expiresAt: z.number().finite(),
  idToken: z.string().nullable(),
});
export type Session = z.infer<typeof session>;

/** A sign-in under way: what the callback checks the provider's answer against. */
export const pendingSignIn = z.object({ verifier: z.string().min(1), state: z.string().min(1), returnTo: z.string() });

/**
 * The cookies' encryption: a JWT encrypted with a key derived from MLG_SESSION_SECRET (A256GCM),
 * so that the browser can neither read nor change what it carries. `open` answers null for anything
 * that is not such a cookie, has expired, or does not hold the expected shape.
 */
export function sessionCipher(secret: string) {
  const key = createHash('sha256').update(secret).digest();
  return {
    seal: (payload: Record<string, unknown>, seconds: number): Promise<string> =>
      new EncryptJWT(payload)
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuedAt()
        .setExpirationTime(`${seconds}s`)
        .encrypt(key),
    open: async <T>(value: string | undefined, shape: z.ZodType<T>): Promise<T | null> => {
      if (!value) return null;
      try {
        const parsed = shape.safeParse((await jwtDecrypt(value, key)).payload);
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
  };
}
