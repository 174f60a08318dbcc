// Every robot error that has a fix carries it as `actions` (complete commands), and human mode prints
// them as hint: lines: no config, no token, a token GitLab refuses, a preflight that found some IIDs
// missing, an embedding provider that is down or lacks the model.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeEmbedder, startFakeEmbedder } from "../support/fake-embedder.js";
import { type FakeGitLab, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore, seedProject } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;

beforeEach(async () => {
  gl = await startFakeGitLab({ token: "glpat-recovery" });
  seedProject(gl, { issues: 2, mrs: 1 });
  home = makeTempHome();
});
afterEach(async () => {
  await gl.close();
  home.cleanup();
});

const run = (args: string[], token?: string) =>
  runLore(args, { env: { ...home.env, ...(token ? { GITLAB_TOKEN: token } : {}) } });

describe("recovery actions", () => {
  it("CONFIG: no config file → lore init", async () => {
    const robot = await run(["--robot", "issues"]);
    expect(robot.code).toBe(3);
    expect(robot.json().error.actions).toEqual([
      "lore init --gitlab-url https://gitlab.com --project GROUP/PROJECT",
    ]);
    const human = await run(["issues"]);
    expect(human.stderr).toContain("hint: lore init --gitlab-url https://gitlab.com --project GROUP/PROJECT");
  });

  it("GITLAB_AUTH without a token says the variable is not set, names read_api and the project", async () => {
    await configureLore(home, gl);
    const robot = await run(["--robot", "sync"]);
    expect(robot.code).toBe(4);
    const error = robot.json().error;
    expect(error.message).toContain("$GITLAB_TOKEN is not set");
    expect(error.message).toContain("group/proj");
    expect(error.message).not.toContain("refused");
    expect(error.suggestion).toContain("read_api");
    expect(error.suggestion).toContain(
      `${gl.url}/-/user_settings/personal_access_tokens?name=lore&scopes=read_api`,
    );
    expect(error.actions).toEqual(["export GITLAB_TOKEN=…"]);
    expect(error.details).toMatchObject({
      token_sent: false,
      token_env: "GITLAB_TOKEN",
      project: "group/proj",
    });

    const surgical = (await run(["--robot", "sync", "--issue", "1"])).json().error;
    expect(surgical.message).toContain("$GITLAB_TOKEN is not set");
    expect(surgical.message).toContain("group/proj");

    const human = await run(["sync"]);
    expect(human.stderr).toContain("hint: export GITLAB_TOKEN=…");
    const doctor = (await run(["--robot", "doctor"])).json();
    const project = doctor.data?.checks ?? doctor.error;
    expect(JSON.stringify(project)).toContain("$GITLAB_TOKEN is not set");
  });

  it("GITLAB_AUTH with a refused token names the variable and the scope", async () => {
    await configureLore(home, gl);
    const error = (await run(["--robot", "sync"], "glpat-wrong")).json().error;
    expect(error.code).toBe("GITLAB_AUTH");
    expect(error.message).toContain("refused the token in $GITLAB_TOKEN");
    expect(error.message).toContain("group/proj");
    expect(error.suggestion).toContain("read_api");
    expect(error.actions).toEqual(["lore doctor"]);
    expect(JSON.stringify(error)).not.toContain("glpat-wrong");
  });

  it("SURGICAL_PREFLIGHT_FAILED → the same sync without the missing IIDs", async () => {
    await configureLore(home, gl);
    const result = await run(
      [
        "--robot",
        "sync",
        "-p",
        "group/proj",
        "--issue",
        "1",
        "--issue",
        "99",
        "--mr",
        "1",
        "--mr",
        "42",
        "--no-embed",
      ],
      "glpat-recovery",
    );
    expect(result.code).toBe(6);
    expect(result.json().error).toMatchObject({
      code: "SURGICAL_PREFLIGHT_FAILED",
      actions: ["lore sync -p group/proj --issue 1 --mr 1 --no-embed"],
    });
    const none = await run(["--robot", "sync", "--issue", "99"], "glpat-recovery");
    expect(none.json().error.actions).toBeUndefined();
  });

  describe("EMBEDDING", () => {
    let embedder: FakeEmbedder;
    beforeEach(async () => {
      embedder = await startFakeEmbedder({ models: ["nomic-embed-text"] });
    });
    afterEach(async () => {
      await embedder.close();
    });

    it("a missing model → ollama pull; a server that does not answer → ollama serve; both → provider none", async () => {
      await configureLore(
        home,
        gl,
        ["group/proj"],
        [
          "--embedding-provider",
          "ollama",
          "--embedding-url",
          embedder.url,
          "--embedding-model",
          "all-minilm",
        ],
      );
      expect((await run(["--robot", "sync", "--no-embed"], "glpat-recovery")).code).toBe(0);
      const missing = await run(["--robot", "embed"], "glpat-recovery");
      expect(missing.code).toBe(10);
      expect(missing.json().error.actions).toEqual([
        "ollama pull all-minilm",
        "lore config set embedding.provider none",
      ]);
      await embedder.close();
      const down = await run(["--robot", "embed"], "glpat-recovery");
      expect(down.code).toBe(10);
      expect(down.json().error.actions).toEqual(["ollama serve", "lore config set embedding.provider none"]);
    });
  });
});
