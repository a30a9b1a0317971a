import fs from 'node:fs';
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

/**
 * A setting is declared once: the environment variable, its default as a person would type it, the
 * zod schema that validates and shapes it, and what it means. The configuration's type, its loading,
 * the check for misspelled variables and the README's table all come from these declarations.
 */
export interface Setting<S extends z.ZodType = z.ZodType> {
  readonly env: string;
  /** The value when the variable is unset, as it would be written in the environment; none: unset. */
  readonly default?: string;
  /** Shown in the README's default column instead of `default` (a default that depends on something else). */
  readonly shownDefault?: string;
  readonly schema: S;
  /** What it means, in the README's words (markdown). */
  readonly doc: string;
  /**
   * A secret: it may also be given as a file (`<env>_FILE`, as container platforms mount secrets),
   * and its value never appears in a message.
   */
  readonly secret?: boolean;
}

export interface SettingTree {
  readonly [key: string]: Setting | SettingTree;
}

/** The typed values of a tree of settings: each setting becomes what its schema outputs. */
export type SettingValues<T> = {
  readonly [K in keyof T]: T[K] extends Setting<infer S> ? z.output<S> : SettingValues<T[K]>;
};

export const setting = <S extends z.ZodType>(
  env: string,
  schema: S,
  doc: string,
  options: Pick<Setting, 'default' | 'shownDefault' | 'secret'> = {},
): Setting<S> => ({
  env,
  schema,
  doc,
  ...options,
});

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const isSetting = (node: Setting | SettingTree): node is Setting => typeof node.env === 'string' && 'schema' in node;

/** Every setting of the trees, in declaration order. */
export function settingsOf(...trees: readonly SettingTree[]): Setting[] {
  return trees.flatMap((tree) => Object.values(tree).flatMap((node) => (isSetting(node) ? [node] : settingsOf(node))));
}

/** The variable that names a secret's file. */
export const fileVariable = (s: Setting): string => `${s.env}_FILE`;

/** A setting's value as the environment gives it: a secret from its file when `<env>_FILE` names one. */
function valueOf(s: Setting, env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const file = s.secret ? env[fileVariable(s)] : undefined;
  if (!file) return env[s.env];
  if (env[s.env]) {
    problems.push(`${s.env}: set it or ${fileVariable(s)}, not both`);
    return undefined;
  }
  try {
    // A file's final newline is not part of the secret (echo and editors add one).
    return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    problems.push(`${fileVariable(s)}: ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

/**
 * Reads a tree of settings from the environment (an empty value counts as unset); throws a
 * ConfigError naming every bad variable. The result is frozen.
 */
export function loadSettings<T extends SettingTree>(tree: T, env: NodeJS.ProcessEnv): SettingValues<T> {
  const problems: string[] = [];
  const read = (node: SettingTree): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(node).map(([key, child]) => {
        if (!isSetting(child)) return [key, read(child)];
        const raw = valueOf(child, env, problems) || child.default;
        const parsed = child.schema.safeParse(raw);
        if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => `${child.env}: ${issue.message}`));
        return [key, parsed.data];
      }),
    );
  const values = read(tree);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return deepFreeze(values) as SettingValues<T>;
}

/**
 * Variables with the project's prefix that no setting declares: a misspelled one would otherwise be
 * silently ignored. Each comes with the closest declared name when one is near.
 */
export function unknownVariables(env: NodeJS.ProcessEnv, prefix: string, known: readonly Setting[]): string[] {
  const names = known.flatMap((s) => (s.secret ? [s.env, fileVariable(s)] : [s.env]));
  return Object.keys(env)
    .filter((name) => name.startsWith(prefix) && !names.includes(name))
    .sort()
    .map((name) => {
      const near = closest(name, names);
      return distance(name, near) <= Math.max(3, Math.floor(name.length / 4)) ? `${name} (did you mean ${near}?)` : name;
    });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
