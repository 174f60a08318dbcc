import { describe, expect, it } from "vitest";
import { isLoreError, LoreError } from "../../src/core/errors.js";
import { totalFromHeaders } from "../../src/gitlab/client.js";
import { createHttpClient } from "../../src/gitlab/http.js";
import { IssueSchema, ProjectSchema, parsePage, parseResponse } from "../../src/gitlab/schemas.js";
import { buildQuery, normalizeApiBaseUrl, parseLinkHeader, sanitizeUrl } from "../../src/gitlab/url.js";
import { serverRequestedDelayMs } from "../../src/http/retry-timing.js";

describe("normalizeApiBaseUrl", () => {
  it.each([
    ["https://gitlab.com", "https://gitlab.com/api/v4"],
    ["https://gitlab.com/", "https://gitlab.com/api/v4"],
    ["https://gitlab.com/api/v4", "https://gitlab.com/api/v4"],
    ["https://gitlab.com/api/v4/", "https://gitlab.com/api/v4"],
    ["https://h.example/gitlab", "https://h.example/gitlab/api/v4"],
    ["https://h.example/gitlab/", "https://h.example/gitlab/api/v4"],
    ["https://h.example/gitlab/api/v4", "https://h.example/gitlab/api/v4"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v4"],
    ["  https://gitlab.com  ", "https://gitlab.com/api/v4"],
    ["https://user:pw@gitlab.com/?x=1#frag", "https://gitlab.com/api/v4"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeApiBaseUrl(input)).toBe(expected);
  });

  it.each(["not a url", "ftp://gitlab.com"])("rejects %s as CONFIG", (input) => {
    expect(() => normalizeApiBaseUrl(input)).toThrow(LoreError);
  });
});

describe("request helpers", () => {
  it("encodes array params GitLab's way", () => {
    expect(buildQuery({ iids: [1, 2], state: "all", skip: undefined })).toBe(
      "iids%5B%5D=1&iids%5B%5D=2&state=all",
    );
  });

  it("parses Link headers", () => {
    const links = parseLinkHeader(
      '<https://h/api/v4/p?page=2>; rel="next", <https://h/api/v4/p?page=1>; rel="first", <https://h/api/v4/p?page=9>; rel="last"',
    );
    expect(links).toEqual({
      next: "https://h/api/v4/p?page=2",
      first: "https://h/api/v4/p?page=1",
      last: "https://h/api/v4/p?page=9",
    });
    expect(parseLinkHeader(null)).toEqual({});
  });

  it("reads Retry-After seconds, Retry-After dates and RateLimit-Reset", () => {
    const now = Date.parse("2021-01-05T10:59:50Z");
    expect(serverRequestedDelayMs(new Headers({ "retry-after": "7" }), now)).toBe(7000);
    expect(serverRequestedDelayMs(new Headers({ "retry-after": "Tue, 05 Jan 2021 11:00:00 GMT" }), now)).toBe(
      10_000,
    );
    expect(serverRequestedDelayMs(new Headers({ "ratelimit-reset": String(now / 1000 + 30) }), now)).toBe(
      30_000,
    );
    expect(serverRequestedDelayMs(new Headers({}), now)).toBeUndefined();
  });

  it("strips credentials and token parameters from URLs", () => {
    expect(sanitizeUrl("https://u:secret@h/api/v4/x?private_token=abc&page=2")).toBe(
      "https://h/api/v4/x?private_token=%5BREDACTED%5D&page=2",
    );
  });
});

describe("schemas", () => {
  it("names the endpoint and the field path on a mismatch", () => {
    const page = [
      { id: 1, iid: 1, title: "a", state: "opened", created_at: "x", updated_at: "y", web_url: "w" },
      { id: 2, iid: 2, title: "b", state: "opened", created_at: "x", updated_at: 5, web_url: "w" },
    ];
    try {
      parsePage(IssueSchema, page, "GET /projects/:id/issues");
      expect.unreachable();
    } catch (error) {
      expect(isLoreError(error, "GITLAB_NETWORK")).toBe(true);
      expect((error as Error).message).toContain("GET /projects/:id/issues");
      expect((error as Error).message).toContain("[1].updated_at: expected string");
    }
  });

  it("keeps unknown fields and accepts nulls outside identity fields", () => {
    const project = parseResponse(
      ProjectSchema,
      { id: 3, path_with_namespace: "g/p", default_branch: null, brand_new_field: { x: 1 } },
      "GET /projects/:id",
    );
    expect(project).toMatchObject({ id: 3, brand_new_field: { x: 1 } });
  });
});

describe("rate-limit pacing", () => {
  it("spreads requests over the window when RateLimit-Remaining is low", async () => {
    let clock = 1_700_000_000_000;
    const reset = String(clock / 1000 + 8);
    const sleeps: number[] = [];
    const fetch = (async () =>
      new Response("{}", {
        status: 200,
        headers: {
          "content-type": "application/json",
          "ratelimit-limit": "100",
          "ratelimit-remaining": "4",
          "ratelimit-reset": reset,
        },
      })) as typeof globalThis.fetch;
    const http = createHttpClient({
      baseUrl: "https://gitlab.test",
      fetch,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
    await http.request("/version");
    await http.request("/version");
    await http.request("/version");
    // 4 requests left for 8 s: one every 2 s.
    expect(sleeps).toEqual([2000, 2000]);
    expect(http.metrics.rateLimitWaitMs).toBe(4000);
    expect(http.metrics.requests).toBe(3);
  });

  it("waits for the reset when no quota is left", async () => {
    let clock = 1_700_000_000_000;
    const sleeps: number[] = [];
    const fetch = (async () =>
      new Response("[]", {
        headers: {
          "ratelimit-limit": "100",
          "ratelimit-remaining": "0",
          "ratelimit-reset": String(clock / 1000 + 30),
        },
      })) as typeof globalThis.fetch;
    const http = createHttpClient({
      baseUrl: "https://gitlab.test",
      fetch,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
    await http.request("/version");
    await http.request("/version");
    expect(sleeps).toEqual([30_000]);
  });
});

describe("retries and totals", () => {
  it("tells onRetry what failed and how long it waits before each retry", async () => {
    const answers = [503, 429, 200];
    const fetch = (async () => {
      const status = answers.shift() ?? 200;
      return new Response(status === 200 ? "{}" : "busy", {
        status,
        headers: status === 429 ? { "retry-after": "3" } : {},
      });
    }) as typeof globalThis.fetch;
    const notices: unknown[] = [];
    const http = createHttpClient({
      baseUrl: "https://gitlab.test",
      fetch,
      maxRetries: 4,
      random: () => 0,
      sleep: async () => {},
      onRetry: (notice) => notices.push(notice),
    });
    await http.request("/projects/7/issues", { endpoint: "GET /projects/:id/issues" });
    expect(notices).toEqual([
      { endpoint: "GET /projects/:id/issues", reason: "503", delayMs: 250, retry: 1, maxRetries: 4 },
      { endpoint: "GET /projects/:id/issues", reason: "429", delayMs: 3000, retry: 2, maxRetries: 4 },
    ]);
  });

  it.each([
    [
      { "x-total": "1412", "x-page": "1" },
      { count: 1412, exact: true },
    ],
    [{ "x-total": "0" }, { count: 0, exact: true }],
    // GitLab leaves the total out above 10,000 rows.
    [
      { "x-page": "1", "x-next-page": "2" },
      { count: 10_000, exact: false },
    ],
    [{}, undefined],
  ])("totalFromHeaders(%o)", (headers, expected) => {
    expect(totalFromHeaders(new Headers(headers))).toEqual(expected);
  });
});
