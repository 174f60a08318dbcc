// Human views of `lore config`: one value bare (for `$(lore config get KEY)`), every key as an
// aligned table (fitted to a terminal), and a confirmation for each change with what to run next.

import type { Output } from "../../output.js";

export interface KeyValue {
  readonly key: string;
  readonly value: unknown;
  /** Written in the file, the schema's default, or neither. */
  readonly source: "file" | "default" | "unset";
}

/** A value as a person reads it on one line: strings bare, the rest as JSON. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return "(not set)";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `lore config get KEY`: the value alone (a section or list as indented JSON). */
export function renderValue(out: Output, data: KeyValue): void {
  if (data.source === "unset") out.info(`${data.key} is not set.`);
  else if (typeof data.value === "object") out.line(JSON.stringify(data.value, null, 2));
  else out.line(show(data.value));
}

/** `lore config get`: every key, its value, and whether that is the default. */
export function renderValues(out: Output, values: readonly KeyValue[]): void {
  const s = out.style;
  out.page();
  out.table(
    [
      { header: "KEY", text: (v: KeyValue) => v.key, paint: (t) => s.bold(t) },
      { header: "=", text: () => "=", paint: (t) => s.dim(t) },
      {
        header: "VALUE",
        text: (v) =>
          v.key === "projects"
            ? (v.value as { path: string }[]).map((p) => p.path).join(", ")
            : show(v.value),
        paint: (t, v) => (v.value === null ? s.dim(t) : t),
        shrink: true,
        minWidth: 16,
      },
      { header: "SOURCE", text: (v) => (v.source === "default" ? "(default)" : ""), paint: (t) => s.dim(t) },
    ],
    values,
    { header: false },
  );
}

/** Settings whose change `lore doctor` should confirm, and what else each calls for. */
const NEXT_STEPS: Record<string, string> = {
  "gitlab.baseUrl": "lore doctor checks the connection",
  "gitlab.tokenEnvVar": "lore doctor checks the connection and the token",
  "embedding.provider": "lore doctor checks the provider, then lore embed embeds the mirror",
  "embedding.baseUrl": "lore doctor checks the provider",
  "embedding.model": "lore doctor checks the model, then lore embed --all re-embeds the mirror with it",
  "embedding.apiKeyEnvVar": "lore doctor checks the provider",
};

export interface ConfigChange {
  readonly key: string;
  /** The value now in effect (the default after an unset), undefined when none. */
  readonly current: unknown;
  /** The value the file held before, undefined when it held none. */
  readonly previous: unknown;
  readonly unset: boolean;
  readonly configPath: string;
}

/** `lore config set|unset`: what changed, where, and what to run next. */
export function renderChange(out: Output, change: ConfigChange): void {
  const was = change.previous === undefined ? "" : out.style.dim(` (was ${show(change.previous)})`);
  const now = change.unset
    ? `unset${change.current === undefined ? "" : `: default ${show(change.current)}`}`
    : `= ${show(change.current)}`;
  out.line(`${out.style.green("✓")} ${change.key} ${now}${was} in ${change.configPath}`);
  const step = NEXT_STEPS[change.key];
  if (step) out.line(`Next: ${step}.`);
}

/** `lore config path`: the path, and a note when there is no file there yet. */
export function renderPath(
  out: Output,
  data: { readonly config_path: string; readonly exists: boolean },
): void {
  out.line(data.config_path);
  if (!data.exists) out.info("(no file there yet: lore init writes it)");
}
