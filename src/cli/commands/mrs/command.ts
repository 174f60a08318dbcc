import type { Command } from "commander";
import type { Invoke } from "../../program.js";
import { registerEntityCommand } from "../entities/command.js";

export function registerMrs(program: Command, invoke: Invoke): void {
  registerEntityCommand(program, invoke, {
    name: "mrs",
    type: "merge_request",
    description:
      "list merge requests, or show one with its discussions, events, closes-issues and changed files",
    singular: "merge request",
    surgicalFlag: "--mr",
    examples: [
      "lore mrs",
      "lore mrs --state merged --since 14d",
      "lore mrs --reviewer alice --no-draft",
      "lore mrs --target-branch main --sort iid",
      "lore mrs 7",
      "lore mrs 7 --web",
      "lore --robot mrs 7 | jq '.data.mr.changed_files'",
      "lore --robot mrs 7 --max-age 5m --fields iid,state,detailed_merge_status,synced_at",
    ],
  });
}
