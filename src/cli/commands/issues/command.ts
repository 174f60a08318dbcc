import type { Command } from "commander";
import type { Invoke } from "../../program.js";
import { registerEntityCommand } from "../entities/command.js";

export function registerIssues(program: Command, invoke: Invoke): void {
  registerEntityCommand(program, invoke, {
    name: "issues",
    type: "issue",
    description: "list issues, or show one with its discussions, events, related and closing MRs",
    singular: "issue",
    surgicalFlag: "--issue",
    examples: [
      "lore issues",
      "lore issues --label bug --author alice",
      "lore issues --assignee bob --milestone v2.0 --sort created",
      "lore issues --search 'rate limit' --state all --asc",
      "lore issues --due-before 2024-07-01",
      "lore issues 42",
      "lore issues 42 --web",
      "lore --robot issues 42 -p gitlab-org/cli | jq '.data.issue.discussions'",
      "lore --robot issues 42 --max-age 0 --fields minimal",
      "lore issues --fields iid,title,labels",
    ],
  });
}
