// GitLab API URLs: the configured base normalised to its API root, query strings GitLab's way
// (`iids[]=1&iids[]=2`), `Link` headers, and URLs made safe to put in an error.

import { LoreError } from "../core/errors.js";

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

/**
 * Accepts `https://gitlab.com`, a trailing slash, an `/api/v4` suffix or a relative root
 * (`https://h/gitlab`) and returns the API root without a trailing slash.
 */
export function normalizeApiBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new LoreError("CONFIG", `GitLab base URL is not a valid URL: ${sanitizeUrl(input)}`, {
      suggestion: "Set gitlab.baseUrl to something like https://gitlab.com",
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LoreError("CONFIG", `GitLab base URL must be http(s): ${sanitizeUrl(input)}`);
  }
  url.username = "";
  url.password = "";
  url.search = "";
  url.hash = "";
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v4$/, "");
  return `${url.origin}${path}/api/v4`;
}

/** Drops credentials and token-like query parameters so a URL can go into an error. */
export function sanitizeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = "";
    url.password = "";
    for (const key of [...url.searchParams.keys()]) {
      if (/token|secret|password/i.test(key)) url.searchParams.set(key, "[REDACTED]");
    }
    return url.toString();
  } catch {
    return raw.replace(/\/\/[^/@\s]*@/, "//");
  }
}

export function buildQuery(query: Query | undefined): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(`${key}[]`, String(item));
    } else {
      params.append(key, String(value));
    }
  }
  return params.toString();
}

/** Parses `Link: <url>; rel="next", …` into a rel → url map. */
export function parseLinkHeader(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const part of header.split(",")) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (!match) continue;
    const rels = /rel="?([^";]+)"?/.exec(match[2] ?? "");
    for (const rel of (rels?.[1] ?? "").split(/\s+/)) if (rel) links[rel] = match[1] ?? "";
  }
  return links;
}

/**
 * The URL to request: a path under the API root, or an absolute URL from a `Link` header — which
 * may name the host GitLab sees behind a proxy, so the configured origin is kept.
 */
export function resolveApiUrl(apiBaseUrl: string, target: string, query: Query | undefined): URL {
  let url: URL;
  if (/^https?:\/\//i.test(target)) {
    url = new URL(target);
    const marker = url.pathname.indexOf("/api/v4/");
    if (url.origin !== new URL(apiBaseUrl).origin && marker >= 0) {
      url = new URL(`${apiBaseUrl}${url.pathname.slice(marker + "/api/v4".length)}${url.search}`);
    }
  } else {
    url = new URL(`${apiBaseUrl}${target.startsWith("/") ? target : `/${target}`}`);
  }
  const extra = buildQuery(query);
  if (extra) url.search = url.search ? `${url.search}&${extra}` : `?${extra}`;
  return url;
}
