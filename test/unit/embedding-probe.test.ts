import { describe, expect, it } from "vitest";
import { hasModel, ollamaServe, ollamaUrlFromEnv } from "../../src/embedding/probe.js";

describe("ollamaUrlFromEnv", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    ["127.0.0.1", "http://127.0.0.1:11434"],
    ["127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["0.0.0.0:11434", "http://0.0.0.0:11434"],
    ["http://gpu-box", "http://gpu-box:11434"],
    ["http://gpu-box:80", "http://gpu-box"],
    ["https://ollama.example.com", "https://ollama.example.com"],
    ["https://ollama.example.com:8443/", "https://ollama.example.com:8443"],
    ["[::1]:9000", "http://[::1]:9000"],
    ["http://[::1]", "http://[::1]:11434"],
  ])("reads OLLAMA_HOST=%j as %j", (value, url) => {
    expect(ollamaUrlFromEnv(value === undefined ? {} : { OLLAMA_HOST: value })).toBe(url);
  });
});

describe("hasModel", () => {
  it.each([
    [["nomic-embed-text:latest"], "nomic-embed-text", true],
    [["nomic-embed-text:v1.5"], "nomic-embed-text:v1.5", true],
    [["nomic-embed-text:v1.5"], "nomic-embed-text", false],
    [["nomic-embed-text:latest"], "nomic-embed-text:v1.5", false],
    [[], "nomic-embed-text", false],
  ])("%j has %s: %s", (names, model, expected) => {
    expect(hasModel(names, model)).toBe(expected);
  });
});

it("starts Ollama where lore looks for it", () => {
  expect(ollamaServe("http://localhost:11434")).toBe("ollama serve");
  expect(ollamaServe("http://localhost:11434/")).toBe("ollama serve");
  expect(ollamaServe("http://127.0.0.1:9999")).toBe("OLLAMA_HOST=http://127.0.0.1:9999 ollama serve");
});
