// Whether a note or description @-mentions a user, as GitLab reads mentions: `@name` not inside
// code, not part of an e-mail address or a longer name (`@bob` is not `@bobby` or `@bob.smith`).

import { withoutCode } from "../core/markdown-code.js";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function mentionsUser(markdown: string | null | undefined, username: string): boolean {
  if (!markdown?.includes("@")) return false;
  const pattern = new RegExp(
    `(?:^|[^A-Za-z0-9_.+\\-/@])@${escapeRegExp(username)}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9_])`,
    "i",
  );
  return pattern.test(withoutCode(markdown));
}
