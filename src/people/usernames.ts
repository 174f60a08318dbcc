// `@alice` or `alice` as a username argument.

import { usageError } from "../core/errors.js";

const USERNAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

export function parseUsername(value: string, flag: string): string {
  const name = value.trim().replace(/^@/, "");
  if (!USERNAME.test(name)) throw usageError(`${flag} ${value}: expected a GitLab username such as @jdoe`);
  return name;
}
