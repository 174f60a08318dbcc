// A fake embedding server on 127.0.0.1: Ollama's POST /api/embed (and GET /api/tags, its model
// list) and OpenAI's POST /v1/embeddings, answering with deterministic vectors (lower-cased words
// hashed into buckets, L2-normalised), so texts sharing words are near each other. Request log,
// faults and a known-model check.

import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface EmbedderOptions {
  readonly dimension?: number;
  /** Models the server knows; others get 404 (Ollama: "model not found"). */
  readonly models?: readonly string[];
  /** Required `Authorization: Bearer` value for the OpenAI route. */
  readonly apiKey?: string;
}

export interface EmbedRequest {
  readonly route: "ollama" | "openai";
  readonly model: string;
  readonly input: string[];
}

export interface FakeEmbedder {
  readonly url: string;
  readonly requests: EmbedRequest[];
  dimension: number;
  /** Answer the next `times` requests with `status` (or drop the connection with "reset"). */
  fail(status: number | "reset", times?: number): void;
  /** Hold every request this long before answering. */
  latencyMs: number;
  /** The most embedding requests it was answering at once. */
  readonly maxInFlight: number;
  clearRequests(): void;
  close(): Promise<void>;
}

export function fakeVector(text: string, dimension: number): number[] {
  const vector = new Array<number>(dimension).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const digest = createHash("sha1").update(word).digest();
    const bucket = digest.readUInt32BE(0) % dimension;
    const sign = (digest[4] as number) % 2 === 0 ? 1 : -1;
    vector[bucket] = (vector[bucket] ?? 0) + sign;
  }
  const norm = Math.sqrt(vector.reduce((s, x) => s + x * x, 0)) || 1;
  return vector.map((x) => x / norm);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

export async function startFakeEmbedder(options: EmbedderOptions = {}): Promise<FakeEmbedder> {
  const models = new Set(options.models ?? ["nomic-embed-text", "text-embedding-3-small"]);
  let faults: { status: number | "reset"; remaining: number } | undefined;
  let inFlight = 0;
  let maxInFlight = 0;
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const body = (await readBody(req)) as { model?: string; input?: string | string[] };
    if (req.method === "GET" && req.url === "/api/tags") {
      // Ollama's model list, as `ollama list` reads it: names carry their tag.
      return send(res, 200, {
        models: [...models].map((name) => ({
          name: name.includes(":") ? name : `${name}:latest`,
          model: name.includes(":") ? name : `${name}:latest`,
          modified_at: "2024-05-01T10:00:00.000000000+02:00",
          size: 274302450,
          digest: createHash("sha256").update(name).digest("hex"),
          details: { parent_model: "", format: "gguf", family: "nomic-bert", families: ["nomic-bert"] },
        })),
      });
    }
    const route = req.url === "/api/embed" ? "ollama" : req.url === "/v1/embeddings" ? "openai" : undefined;
    if (!route || req.method !== "POST") return send(res, 404, { error: "not found" });
    const input = Array.isArray(body.input) ? body.input : [String(body.input ?? "")];
    api.requests.push({ route, model: String(body.model), input });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once("close", () => {
      inFlight -= 1;
    });
    if (api.latencyMs > 0) await new Promise((r) => setTimeout(r, api.latencyMs));
    if (faults && faults.remaining > 0) {
      faults.remaining -= 1;
      if (faults.status === "reset") return req.socket.destroy();
      return send(res, faults.status, { error: "injected failure" });
    }
    if (route === "openai" && options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(res, 401, { error: { message: "Incorrect API key provided" } });
    }
    if (!models.has(String(body.model))) {
      return send(
        res,
        404,
        route === "ollama"
          ? { error: `model "${body.model}" not found, try pulling it first` }
          : { error: { message: "model not found" } },
      );
    }
    const vectors = input.map((text) => fakeVector(text, api.dimension));
    if (route === "ollama") return send(res, 200, { model: body.model, embeddings: vectors });
    return send(res, 200, {
      object: "list",
      model: body.model,
      data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const api: FakeEmbedder = {
    url: `http://127.0.0.1:${port}`,
    requests: [],
    dimension: options.dimension ?? 64,
    latencyMs: 0,
    get maxInFlight() {
      return maxInFlight;
    },
    fail(status, times = Number.POSITIVE_INFINITY) {
      faults = { status, remaining: times };
    },
    clearRequests() {
      api.requests.length = 0;
      maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}
