import { describe, expect, it } from "vitest";
import { parseSyncOptions } from "../../src/cli/commands/sync/options.js";
import { usageMessage as usage } from "../support/usage.js";

const one = { configuredProjects: ["group/proj"], gitlabUrl: "https://gitlab.example.com" };
const two = {
  configuredProjects: ["group/proj", "team/api"],
  gitlabUrl: "https://gitlab.example.com/gitlab",
};

describe("parseSyncOptions", () => {
  it.each([
    [{}, one, { mode: "incremental", projects: ["group/proj"], docs: true, embed: true, recover: false }],
    [
      { full: true, docs: false },
      two,
      { mode: "full", projects: ["group/proj", "team/api"], docs: false, embed: true, recover: false },
    ],
    [
      { project: "api", embed: false, recover: true },
      two,
      { mode: "incremental", projects: ["team/api"], docs: true, embed: false, recover: true },
    ],
  ])("builds incremental/full options from %o", (flags, target, expected) => {
    expect(parseSyncOptions(flags, target)).toEqual(expected);
  });

  it.each([
    [{ issue: ["42", "43", "42"], mr: ["7"] }, one, [42, 43], [7]],
    [{ issue: ["#5"], mr: ["!9"] }, one, [5], [9]],
    [{ issue: ["https://gitlab.example.com/group/proj/-/issues/12#note_3"] }, one, [12], []],
    [{ issue: ["https://gitlab.example.com/group/proj/-/work_items/13"] }, one, [13], []],
    [{ issue: ["group/proj#21", "Group/Proj#22"], mr: ["group/proj!3"] }, one, [21, 22], [3]],
    [{ project: "api", mr: ["team/api!6"] }, two, [], [6]],
    [{ mr: ["https://gitlab.example.com/group/proj/-/merge_requests/8/diffs?tab=x"] }, one, [], [8]],
    [
      { project: "team/api", issue: ["https://gitlab.example.com/gitlab/team/api/-/issues/4", "4"] },
      two,
      [4],
      [],
    ],
  ])("parses surgical flags %o", (flags, target, issues, mrs) => {
    expect(parseSyncOptions(flags, target)).toMatchObject({ mode: "surgical", issues, mrs, dryRun: false });
  });

  it("defaults the project when only one is configured and keeps --dry-run", () => {
    expect(parseSyncOptions({ issue: ["1"], dryRun: true, docs: false }, one)).toEqual({
      mode: "surgical",
      project: "group/proj",
      issues: [1],
      mrs: [],
      docs: false,
      embed: true,
      dryRun: true,
    });
  });

  it.each([
    [{ issue: ["0"] }, one, "--issue 0"],
    [{ issue: ["-5"] }, one, "--issue -5"],
    [{ mr: ["abc"] }, one, "--mr abc"],
    [{ issue: ["1.5"] }, one, "--issue 1.5"],
    [{ issue: ["https://gitlab.example.com/other/proj/-/issues/3"] }, one, "other/proj"],
    [{ issue: ["https://elsewhere.com/group/proj/-/issues/3"] }, one, "not an issue or merge request URL"],
    [{ issue: ["https://gitlab.example.com/group/proj/-/merge_requests/3"] }, one, "pass it with --mr"],
    [
      { issue: ["https://gitlab.example.com/groups/g/-/work_items/3"] },
      one,
      "not an issue or merge request URL",
    ],
    [{ issue: ["other/proj#3"] }, one, "belongs to other/proj"],
    [{ issue: ["group/proj!3"] }, one, "pass it with --mr"],
    [{ mr: ["group/proj#3"] }, one, "pass it with --issue"],
    [{ issue: ["group/proj#0"] }, one, "positive integer"],
    [{ issue: ["1"] }, two, "-p is required"],
    [{ issue: ["1"], full: true }, one, "--full"],
    [{ dryRun: true }, one, "--dry-run"],
    [{ issue: ["1"], recover: true }, one, "--recover"],
    [{ project: "nope", issue: ["1"] }, two, "nope"],
    [{ issue: Array.from({ length: 101 }, (_, i) => String(i + 1)) }, one, "at most 100"],
  ])("rejects %o with USAGE naming the problem", (flags, target, fragment) => {
    expect(usage(() => parseSyncOptions(flags, target))).toContain(fragment);
  });

  it("counts the 100-IID limit after de-duplication", () => {
    const issues = Array.from({ length: 100 }, (_, i) => String(i + 1));
    expect(parseSyncOptions({ issue: [...issues, ...issues] }, one)).toMatchObject({ mode: "surgical" });
    expect(usage(() => parseSyncOptions({ issue: issues, mr: ["1"] }, one))).toContain("101");
  });
});
