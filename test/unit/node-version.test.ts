import { describe, expect, it } from "vitest";
import { describeNodeVersionProblem, nodeVersionProblem } from "../../src/cli/node-version.js";

describe("nodeVersionProblem", () => {
  it.each(["22.0.0", "22.12.1", "24.3.0", "v25.0.0"])("accepts Node %s", (version) => {
    expect(nodeVersionProblem(version)).toBeUndefined();
  });

  it.each([
    ["20.20.2", "found v20.20.2"],
    ["18.19.0", "found v18.19.0"],
    ["v21.7.3", "found v21.7.3"],
    ["weird", "found weird"],
  ])("refuses Node %s, naming it", (version, found) => {
    const problem = nodeVersionProblem(version);
    expect(problem?.message).toBe(`lore needs Node.js 22 or newer (${found}).`);
    expect(problem?.actions).toEqual(["nvm install 24"]);
  });

  it("offers the fetch script first when lore's source folder has it", () => {
    const problem = nodeVersionProblem("20.1.0", "/src/lore/scripts/get-node.sh");
    expect(problem?.actions).toEqual([
      'export PATH="$(sh /src/lore/scripts/get-node.sh):$PATH"',
      "nvm install 24",
    ]);
    expect(problem?.suggestion).toContain("/src/lore/scripts/get-node.sh");
  });
});

describe("describeNodeVersionProblem", () => {
  const problem = nodeVersionProblem("20.1.0");
  if (!problem) throw new Error("Node 20 must be refused");

  it("is a CONFIG envelope in robot mode", () => {
    const envelope = JSON.parse(describeNodeVersionProblem(problem, true));
    expect(envelope).toEqual({
      ok: false,
      error: {
        code: "CONFIG",
        message: problem.message,
        exit_code: 3,
        suggestion: problem.suggestion,
        actions: ["nvm install 24"],
      },
      meta: { command: "", elapsed_ms: 0 },
    });
  });

  it("is an error line with hints for people", () => {
    expect(describeNodeVersionProblem(problem, false).split("\n")).toEqual([
      "error [CONFIG] lore needs Node.js 22 or newer (found v20.1.0).",
      `hint: ${problem.suggestion}`,
      "hint: nvm install 24",
      "",
    ]);
  });
});
