// Dotted config keys (`gitlab.concurrency`) for `lore config get|set|unset`: which keys exist (read
// from the schema, so keys added to it are settable at once), how a value typed on the command line
// becomes the JSON value the schema expects, and reading and replacing one key in a config document.

import type { z } from "zod";
import { usageError } from "../core/errors.js";
import { def, joinKey, objectShape, unwrap } from "./schema-walk.js";
import { closest } from "./unknown-keys.js";

export type KeyKind = "section" | "list" | "string" | "number" | "boolean" | "enum" | "other";

export interface ConfigKey {
  /** The dotted key, e.g. `gitlab.concurrency`. */
  readonly key: string;
  readonly path: readonly string[];
  readonly kind: KeyKind;
  /** An enum's values. */
  readonly values?: readonly string[];
  /** True when the key has neither a default nor may be absent: it cannot be unset. */
  readonly required: boolean;
}

type Document = Record<string, unknown>;

/** Keys that name a secret: lore keeps secrets in the environment only, never in a file. */
const SECRETS: Record<string, string> = {
  gitlab:
    "The GitLab token is never stored in the config: lore reads it from the environment variable named by gitlab.tokenEnvVar (default GITLAB_TOKEN).",
  embedding:
    "The API key is never stored in the config: lore reads it from the environment variable named by embedding.apiKeyEnvVar (default OPENAI_API_KEY).",
};
const SECRET_NAMES = /^(token|privatetoken|accesstoken|personalaccesstoken|apikey|password|secret)$/;

function kindOf(schema: z.ZodType): Pick<ConfigKey, "kind" | "values" | "required"> {
  const required = !["default", "prefault", "optional"].includes(def(schema).type);
  return { required, ...valueKind(schema) };
}

function valueKind(schema: z.ZodType): Pick<ConfigKey, "kind" | "values"> {
  const d = def(unwrap(schema));
  switch (d.type) {
    case "object":
      return { kind: "section" };
    case "array":
      return { kind: "list" };
    case "string":
    case "number":
    case "boolean":
      return { kind: d.type };
    case "enum":
      return { kind: "enum", values: Object.values(d.entries ?? {}).map(String) };
    default:
      return { kind: "other" };
  }
}

/** Every key that holds a value (sections and lists excluded), in schema order. */
export function leafKeys(schema: z.ZodType, parent: readonly string[] = []): ConfigKey[] {
  const shape = objectShape(unwrap(schema));
  if (!shape) return [];
  return Object.entries(shape).flatMap(([name, child]) => {
    const path = [...parent, name];
    const kind = kindOf(child);
    if (kind.kind === "section") return leafKeys(child, path);
    return [{ key: path.join("."), path, ...kind }];
  });
}

/** Every key and section, for suggestions. */
function allKeys(schema: z.ZodType, parent = ""): string[] {
  const shape = objectShape(unwrap(schema));
  if (!shape) return [];
  return Object.entries(shape).flatMap(([name, child]) => [
    joinKey(parent, name),
    ...allKeys(child, joinKey(parent, name)),
  ]);
}

/** The key `text` names in `schema`; USAGE for a key the schema does not know, or a secret. */
export function resolveConfigKey(schema: z.ZodType, text: string): ConfigKey {
  const key = text.trim();
  const path = key.split(".");
  if (key === "" || path.some((part) => part === "")) {
    throw usageError(
      `"${text}" is not a config key`,
      "Keys are dotted, e.g. gitlab.baseUrl or embedding.provider.",
    );
  }
  let node: z.ZodType = schema;
  for (const [index, part] of path.entries()) {
    const child = objectShape(unwrap(node))?.[part];
    if (!child) {
      const last = (path.at(-1) as string).toLowerCase().replace(/[-_]/g, "");
      if (SECRET_NAMES.test(last)) {
        throw usageError(
          `There is no config key for a secret (${key}).`,
          SECRETS[path[0] as string] ?? SECRETS.gitlab,
        );
      }
      const known = allKeys(schema).map((name) => [name, name] as const);
      const suggestion = closest(key, known) ?? closest(path.slice(0, index + 1).join("."), known);
      throw usageError(
        `Unknown config key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}.`,
        "`lore config get` lists every key with its value.",
      );
    }
    node = child;
  }
  return { key: path.join("."), path, ...kindOf(node) };
}

const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  on: true,
  off: false,
  "1": true,
  "0": false,
};

/** The JSON value `text` stands for as `key`'s type (the schema then checks ranges and formats). */
export function parseConfigValue(key: ConfigKey, text: string): unknown {
  const value = text.trim();
  switch (key.kind) {
    case "section":
    case "list":
      throw usageError(
        `${key.key} is a ${key.kind === "list" ? "list" : "section"}, not a single value.`,
        key.key === "projects"
          ? "Change the projects with lore project add PATH and lore project remove PATH."
          : `Set one of its keys, e.g. lore config set ${key.key}.KEY VALUE (lore config get ${key.key} shows them).`,
      );
    case "number": {
      const number = Number(value.replaceAll("_", ""));
      if (value === "" || !Number.isFinite(number)) throw usageError(`${key.key} ${text}: expected a number`);
      return number;
    }
    case "boolean": {
      const flag = BOOLEANS[value.toLowerCase()];
      if (flag === undefined) throw usageError(`${key.key} ${text}: expected true or false`);
      return flag;
    }
    case "enum":
      if (!key.values?.includes(value)) {
        throw usageError(`${key.key} ${text}: expected one of ${key.values?.join(", ")}`);
      }
      return value;
    case "string":
      return value;
    case "other":
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
  }
}

/** The value at `path` in a document, undefined when absent. */
export function valueAt(document: unknown, path: readonly string[]): unknown {
  let node = document;
  for (const part of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Document)[part];
  }
  return node;
}

/** A copy of `document` with `path` set to `value` (removed when undefined), creating sections. */
export function withValue(document: Document, path: readonly string[], value: unknown): Document {
  const [head, ...rest] = path as [string, ...string[]];
  const copy = { ...document };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = copy[head];
  const section =
    child !== null && typeof child === "object" && !Array.isArray(child) ? (child as Document) : {};
  copy[head] = withValue(section, rest, value);
  return copy;
}
