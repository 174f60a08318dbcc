// A new user without Ollama: `lore init` asks the default provider and, when nothing answers,
// configures `none` and says how to turn semantic search on later; an explicit provider is kept,
// with a warning when it does not answer; on a terminal init asks. `lore doctor` reports a provider
// that does not answer as a warning with the fix (exit 0): lexical search works without it.

import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeEmbedder, startFakeEmbedder } from "../support/fake-embedder.js";
import { type FakeGitLab, startFakeGitLab } from "../support/fake-gitlab.js";
import { closedPortUrl } from "../support/net.js";
import { runLoreInPty } from "../support/pty.js";
import { configureLore, seedProject } from "../support/scenario.js";

let gl: FakeGitLab;
let embedder: FakeEmbedder;
let home: TempHome;
let nothingThere: string;

beforeEach(async () => {
  gl = await startFakeGitLab();
  seedProject(gl, { issues: 2, mrs: 1 });
  embedder = await startFakeEmbedder({ dimension: 64 });
  home = makeTempHome();
  nothingThere = await closedPortUrl();
});
afterEach(async () => {
  await gl.close();
  await embedder.close();
  home.cleanup();
});

const init = (env: Record<string, string>, ...extra: string[]) =>
  runLore(["init", "--gitlab-url", gl.url, "--project", "group/proj", ...extra], {
    env: { ...home.env, ...env },
  });
const embedding = () => JSON.parse(readFileSync(home.configPath, "utf8")).embedding;

describe("lore init without --embedding-provider", () => {
  it("configures none when no Ollama answers, and says how to turn semantic search on", async () => {
    const human = await init({ OLLAMA_HOST: nothingThere });
    expect(human.code, human.stderr).toBe(0);
    expect(embedding().provider).toBe("none");
    expect(human.stdout).toMatch(
      /Search: +lexical only \(embedding provider none: no Ollama at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\)/,
    );
    expect(human.stdout).toContain(
      `For semantic search later: OLLAMA_HOST=${nothingThere} ollama serve, then ollama pull nomic-embed-text, then lore config set embedding.provider ollama, then lore embed`,
    );
    expect(human.stderr).toBe("");

    const robot = await init({ OLLAMA_HOST: nothingThere }, "--robot", "--force");
    const data = robot.json().data;
    expect(data.embedding_provider).toBe("none");
    expect(data.embedding_probe).toMatchObject({ provider: "ollama", ok: false, model: "nomic-embed-text" });
    expect(data.embedding_actions).toEqual([
      `OLLAMA_HOST=${nothingThere} ollama serve`,
      "ollama pull nomic-embed-text",
      "lore config set embedding.provider ollama",
      "lore embed",
    ]);
    expect(data.warnings).toEqual([]);
  });

  it("configures Ollama where $OLLAMA_HOST says when it answers with the model, and sync embeds", async () => {
    const result = await init({ OLLAMA_HOST: embedder.url.replace("http://", "") });
    expect(result.code, result.stderr).toBe(0);
    expect(embedding()).toMatchObject({ provider: "ollama", baseUrl: embedder.url });
    expect(result.stdout).toMatch(
      /Search: +lexical and semantic \(Ollama at http:\/\/127\.0\.0\.1:\d+ has nomic-embed-text\)/,
    );
    expect(result.stdout).not.toContain("For semantic search later");
    const sync = await runLore(["--robot", "sync"], { env: home.env });
    expect(sync.json().data.docs_embedded).toBeGreaterThan(0);
  });

  it("configures none when Ollama answers without the model, naming the pull", async () => {
    const bare = await startFakeEmbedder({ models: ["llama3"] });
    try {
      const result = await init({}, "--embedding-url", bare.url, "--robot");
      const data = result.json().data;
      expect(data.embedding_provider).toBe("none");
      expect(data.embedding_probe.detail).toBe(
        `Ollama at ${bare.url} does not have the model nomic-embed-text`,
      );
      expect(data.embedding_actions).toEqual([
        "ollama pull nomic-embed-text",
        "lore config set embedding.provider ollama",
        "lore embed",
      ]);
      // The URL given is kept, so turning the provider on later needs nothing else.
      expect(embedding()).toMatchObject({ provider: "none", baseUrl: bare.url });
    } finally {
      await bare.close();
    }
  });
});

describe("lore init --embedding-provider", () => {
  it("keeps an explicit provider that does not answer, with a warning", async () => {
    const result = await init({}, "--embedding-provider", "ollama", "--embedding-url", nothingThere);
    expect(result.code).toBe(0);
    expect(embedding()).toMatchObject({ provider: "ollama", baseUrl: nothingThere });
    expect(result.stderr).toMatch(
      /^warning: --embedding-provider ollama: no Ollama at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Kept as given; search is lexical until it answers/,
    );
    const openai = await init({}, "--embedding-provider", "openai", "--force");
    expect(openai.code).toBe(0);
    expect(embedding().provider).toBe("openai");
    expect(openai.stderr).toContain("warning: --embedding-provider openai: $OPENAI_API_KEY is not set.");
  });

  it("keeps none without asking anything, and refuses a provider it does not know", async () => {
    embedder.clearRequests();
    const none = await init({ OLLAMA_HOST: embedder.url }, "--embedding-provider", "none");
    expect(none.code).toBe(0);
    expect(embedding().provider).toBe("none");
    expect(embedder.requests).toEqual([]);
    const bad = await init({}, "--embedding-provider", "llama", "--force");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Invalid --embedding-provider llama: expected ollama, openai or none");
  });
});

describe("lore init on a terminal", () => {
  it("asks for the provider, suggesting what the probe found", async () => {
    const steps = [
      { waitFor: "GitLab URL", send: gl.url },
      { waitFor: "Project paths", send: "group/proj" },
      { waitFor: "Embedding provider (ollama, openai, none) [none]: ", send: "" },
    ];
    const none = await runLoreInPty(["init"], { ...home.env, OLLAMA_HOST: nothingThere }, steps);
    expect(none.code, none.output).toBe(0);
    expect(none.output).toMatch(/Semantic search needs an embedding provider: no Ollama at/);
    expect(embedding().provider).toBe("none");

    const found = await runLoreInPty(
      ["init", "--gitlab-url", gl.url, "--project", "group/proj", "--force"],
      { ...home.env, OLLAMA_HOST: embedder.url },
      [{ waitFor: "Embedding provider (ollama, openai, none) [ollama]: ", send: "" }],
    );
    expect(found.code, found.output).toBe(0);
    expect(embedding()).toMatchObject({ provider: "ollama", baseUrl: embedder.url });

    const chosen = await runLoreInPty(
      ["init", "--gitlab-url", gl.url, "--project", "group/proj", "--force"],
      { ...home.env, OLLAMA_HOST: nothingThere },
      [
        { waitFor: "[none]: ", send: "llama" },
        { waitFor: "[none]: ", send: "ollama" },
      ],
    );
    expect(chosen.code, chosen.output).toBe(0);
    expect(embedding().provider).toBe("ollama");
    expect(chosen.output).toContain("warning: embedding provider ollama: no Ollama at");
  });
});

describe("lore doctor and the embedding provider", () => {
  it("warns, with the fix, when the provider does not answer, and still passes", async () => {
    await configureLore(
      home,
      gl,
      ["group/proj"],
      ["--embedding-provider", "ollama", "--embedding-url", nothingThere],
    );
    const robot = await runLore(["--robot", "doctor"], { env: home.env });
    expect(robot.code, robot.stdout).toBe(0);
    const check = robot.json().data.checks.find((c: { name: string }) => c.name === "embedding");
    expect(check).toMatchObject({
      ok: true,
      actions: [
        `OLLAMA_HOST=${nothingThere} ollama serve`,
        "ollama pull nomic-embed-text",
        "lore config set embedding.provider none",
      ],
    });
    expect(check.detail).toMatch(/does not answer: search is lexical only until it does/);
    const human = await runLore(["doctor"], { env: home.env });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /^! embedding +ollama nomic-embed-text at http:\/\/127\.0\.0\.1:\d+ does not answer/m,
    );
    expect(human.stdout).toMatch(
      /warning: Cannot reach Ollama at .*: ECONNREFUSED\. Fix: OLLAMA_HOST=http:\/\/127\.0\.0\.1:\d+ ollama serve and ollama pull nomic-embed-text, or turn semantic search off: lore config set embedding\.provider none/,
    );
    const search = await runLore(["search", "login"], { env: home.env });
    expect(search.code).toBe(0);
  });

  it("still fails when the model's vectors do not fit the ones stored", async () => {
    await configureLore(
      home,
      gl,
      ["group/proj"],
      ["--embedding-provider", "ollama", "--embedding-url", embedder.url],
    );
    expect((await runLore(["sync"], { env: home.env })).code).toBe(0);
    embedder.dimension = 32;
    const doctor = await runLore(["--robot", "doctor"], { env: home.env });
    expect(doctor.code).toBe(10);
    expect(doctor.json().error.message).toMatch(
      /embedding: This database holds embeddings from nomic-embed-text \(64 dimensions\)/,
    );
  });
});
