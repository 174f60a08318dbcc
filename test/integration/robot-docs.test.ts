// `lore robot-docs` describes exactly the CLI that --help describes: the same commands, usage lines,
// options (flags and descriptions) and examples, for every command, plus data shapes and exit codes.

import { afterAll, beforeAll, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";

let home: TempHome;
beforeAll(() => {
  home = makeTempHome();
});
afterAll(() => home.cleanup());

const longFlag = (flags: string) => /--[\w-]+/.exec(flags)?.[0];

interface DocumentedCommand {
  readonly name: string;
  readonly usage: string;
  readonly description: string;
  readonly options: readonly { flags: string; description: string }[];
  readonly arguments: readonly { name: string }[];
}

it("matches --help for every command", async () => {
  const human = await runLore(["robot-docs"], { env: home.env });
  expect(human.code, human.stderr).toBe(0);
  const docs = human.json();
  const robot = await runLore(["--robot", "robot-docs"], { env: home.env });
  expect(robot.json().data).toEqual(docs);

  const help = await runLore(["--help"], { env: home.env });
  const listed = [
    ...(help.stdout.split("Commands:")[1]?.split("Examples:")[0] ?? "").matchAll(/^ {2}([a-z-]+)/gm),
  ]
    .map((m) => m[1])
    .filter((name) => name !== "help");
  expect(docs.commands.map((c: { name: string }) => c.name)).toEqual(listed);
  for (const option of docs.global_options) expect(help.stdout).toContain(option.flags);

  /** The usage line, description, options and arguments of a command's --help, as the docs say them. */
  const sameAsHelp = async (path: string[], command: DocumentedCommand) => {
    const text = (await runLore([...path, "--help"], { env: home.env })).stdout;
    expect(text.split("\n")[0], path.join(" ")).toBe(`Usage: ${command.usage}`);
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain(command.description);
    const optionsSection = text.split(/^Options:$/m)[1]?.split(/^\S/m)[0] ?? "";
    const helpFlags = [...optionsSection.matchAll(/^ {2}(-\w, )?(--[\w-]+)/gm)].map((m) => m[2]);
    expect(
      command.options.map((o) => longFlag(o.flags)),
      `${path.join(" ")} options`,
    ).toEqual(helpFlags.filter((flag) => flag !== "--help"));
    for (const option of command.options) {
      expect(text).toContain(option.flags);
      expect(flat).toContain(option.description.replace(/\s+/g, " "));
    }
    for (const argument of command.arguments) expect(command.usage).toContain(argument.name);
    return text;
  };

  for (const command of docs.commands) {
    const text = await sameAsHelp([command.name], command);
    // Every command says what its robot data is, even one that prints no envelope (mcp).
    expect(Object.keys(command.data).length, `${command.name} data`).toBeGreaterThan(0);
    for (const sub of command.subcommands ?? []) await sameAsHelp([command.name, sub.name], sub);
    const listedSubcommands = [
      ...(text.split(/^Commands:$/m)[1] ?? "").split(/^\S/m)[0]!.matchAll(/^ {2}([a-z-]+)/gm),
    ]
      .map((m) => m[1])
      .filter((name) => name !== "help");
    expect((command.subcommands ?? []).map((sub: { name: string }) => sub.name)).toEqual(listedSubcommands);
    const examples = (text.split(/^Examples:$/m)[1] ?? "")
      .split("\n")
      .slice(1)
      .filter((line) => line.startsWith("  "))
      .map((line) => line.trim());
    expect(command.examples, `${command.name} examples`).toEqual(examples);
    expect(command.examples.length).toBeGreaterThan(0);
    expect(command.exit_codes[0]).toEqual({ code: "OK", exit_code: 0 });
  }
});

it("describes data shapes, --fields rows and the exit-code table", async () => {
  const docs = (await runLore(["robot-docs"], { env: home.env })).json();
  const issues = docs.commands.find((c: { name: string }) => c.name === "issues");
  expect(Object.keys(issues.data)).toEqual(["list", "show", "web"]);
  expect(issues.data.show.rows.fields).toMatchObject({
    iid: "integer",
    synced_at: "timestamp",
    discussions: "discussion[]",
  });
  expect(issues.data.list.rows.minimal).toEqual(["iid", "title", "state", "updated_at", "web_url"]);
  expect(issues.options.find((o: { name: string }) => o.name === "limit")).toMatchObject({
    type: "integer",
    default: 50,
  });
  expect(issues.options.find((o: { name: string }) => o.name === "label")).toMatchObject({
    type: "string[]",
    repeatable: true,
  });
  expect(issues.exit_codes).toContainEqual({ code: "NOT_IN_MIRROR", exit_code: 6 });
  expect(docs.types.discussion).toMatchObject({ notes: "note[]", age_seconds: "integer" });
  expect(docs.exit_codes).toContainEqual({ code: "SYNC_LOCKED", exit_code: 9, when: expect.any(String) });
  const who = docs.commands.find((c: { name: string }) => c.name === "who");
  expect(Object.keys(who.data)).toEqual(["expert", "workload", "reviews", "active", "overlap"]);
  expect(who.data.workload.rows.lists).toEqual([
    "assigned_issues",
    "authored_mrs",
    "review_requests",
    "unresolved_discussions",
  ]);
  expect(who.data.workload.fields.unresolved_discussions).toBe("discussion_item[]");
  expect(docs.types.discussion_item).toMatchObject({ synced_at: "timestamp", url: "string" });
  const timeline = docs.commands.find((c: { name: string }) => c.name === "timeline");
  expect(timeline.options.map((o: { name: string }) => o.name)).toEqual(
    expect.arrayContaining(["maxAge", "fields"]),
  );
  expect(timeline.data.default.rows.key).toBe("events");
  expect(timeline.exit_codes).toContainEqual({ code: "SURGICAL_PREFLIGHT_FAILED", exit_code: 6 });
  const project = docs.commands.find((c: { name: string }) => c.name === "project");
  expect(project.subcommands.map((c: { name: string }) => c.name)).toEqual(["add", "remove", "list"]);
  expect(project.subcommands[0].options[0]).toMatchObject({ flags: "--no-verify", default: true });
  const sync = docs.commands.find((c: { name: string }) => c.name === "sync");
  expect(sync.options.find((o: { name: string }) => o.name === "docs")).toMatchObject({
    flags: "--no-docs",
    default: true,
  });
});
