// Doctor's note on whose dashboard `lore me` shows: when the config names no user, the token's user
// is recorded as gitlab.username (lore init does not contact GitLab, so it cannot).

import { editConfigFile } from "../config/edit.js";
import { withValue } from "../config/keys.js";
import type { Config } from "../config/schema.js";
import { type Check, pass } from "./check.js";

export function recordTokenUser(configPath: string, config: Config, tokenUser: string): Check {
  const configured = config.gitlab.username;
  if (configured === tokenUser) return pass("me", `lore me shows @${tokenUser}`);
  if (configured)
    return pass("me", `lore me shows @${configured} (gitlab.username); the token is @${tokenUser}`);
  try {
    editConfigFile(configPath, "gitlab.username", (document) =>
      withValue(document, ["gitlab", "username"], tokenUser),
    );
    return pass("me", `recorded gitlab.username = ${tokenUser} for lore me`);
  } catch (error) {
    // Not a failure of the set-up: lore me --user works without it.
    return pass(
      "me",
      `gitlab.username is not set and the config could not be updated (${(error as Error).message}); use lore me --user ${tokenUser}`,
    );
  }
}
