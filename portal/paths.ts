import path from 'node:path';

/** Where the portal is built (never committed) and served from. */
export const PORTAL_DIST = path.resolve(import.meta.dirname, '..', 'dist', 'portal');
export const PORTAL_ROOT = import.meta.dirname;
