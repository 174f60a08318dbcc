import { Argument, Command, Option } from "commander";
import { describe, expect, it } from "vitest";
import { completeWith } from "../../src/cli/completion-hints.js";
import { commandSpec, wordsFromDescription } from "../../src/completion/spec.js";

describe("wordsFromDescription", () => {
  it.each([
    [
      "hybrid | lexical | semantic (default: hybrid when embeddings exist)",
      ["hybrid", "lexical", "semantic"],
    ],
    ["opened | closed | merged | locked | all", ["opened", "closed", "merged", "locked", "all"]],
    ["issue|mr|discussion", ["issue", "mr", "discussion"]],
    ["updated | created | iid (default: updated)", ["updated", "created", "iid"]],
    ["only this configured project", undefined],
    ["a | b is not how this one starts", undefined],
    ["updated since an ISO date or a span such as 7d", undefined],
  ])("reads %j", (description, words) => {
    expect(wordsFromDescription(description)).toEqual(words);
  });
});

it("reads what each option and argument completes to from the command tree", () => {
  const program = new Command("lore").option("--config <path>", "config file");
  program
    .command("list")
    .option("-p, --project <path>", "only this project")
    .option("--state <state>", "opened | closed")
    .addOption(new Option("--sort <key>", "how to sort").choices(["updated", "iid"]))
    .option("--since <date>", "a date")
    .option("--all", "everything")
    .addArgument(completeWith(new Argument("[key]"), { kind: "config-keys" }))
    .addArgument(new Argument("[rest...]"));
  const spec = commandSpec(program);
  expect(spec.options.map((o) => [o.names, o.value])).toEqual([
    [["--config"], { kind: "files" }],
    [["-h", "--help"], undefined],
  ]);
  const list = spec.subcommands[0];
  expect(list?.path).toEqual(["list"]);
  expect(list?.options.map((o) => [o.names, o.value])).toEqual([
    [["-p", "--project"], { kind: "projects" }],
    [["--state"], { kind: "words", words: ["opened", "closed"] }],
    [["--sort"], { kind: "words", words: ["updated", "iid"] }],
    [["--since"], { kind: "text" }],
    [["--all"], undefined],
    [["-h", "--help"], undefined],
  ]);
  expect(list?.args).toEqual([{ kind: "config-keys" }, { kind: "text" }]);
  expect(list?.variadic).toBe(true);
});
