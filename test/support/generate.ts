// Deterministic, realistic-looking GitLab data for benchmarks and the demo: issues, MRs with
// reviewers, threads with notes (some DiffNotes on the MR's files), events, closes links, changed
// files from a realistic path tree, and the cross-references real projects have (mentions in
// descriptions and notes, GitLab's "mentioned in" system notes), from a seeded PRNG.

import type { FakeGitLab, Json } from "./fake-gitlab.js";

export interface GenerateOptions {
  readonly path?: string;
  readonly issues: number;
  readonly mrs: number;
  /** Total notes, spread over threads of 1–6 notes. */
  readonly notes: number;
  readonly seed?: number;
}

export interface Generated {
  readonly project: Json;
  readonly issues: Json[];
  readonly mrs: Json[];
  readonly notes: number;
  /** The repository's paths, the most often changed first. */
  readonly paths: string[];
}

/** mulberry32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS = [
  "login",
  "pipeline",
  "cache",
  "database migration",
  "search index",
  "webhook",
  "rate limiter",
  "export",
  "dark mode",
  "API token",
  "merge train",
  "runner",
  "notification",
  "dashboard",
  "SSO",
  "upload",
  "backup",
  "timezone",
  "pagination",
  "audit log",
];
const PROBLEMS = [
  "fails intermittently",
  "is slow on large projects",
  "returns 500",
  "leaks memory",
  "ignores the setting",
  "times out behind a proxy",
  "shows stale data",
  "crashes on startup",
  "breaks after upgrade",
  "double-counts entries",
];
const DETAILS = [
  "Steps to reproduce are in the attached log.",
  "It started after the last release.",
  "Only happens with more than 10,000 rows.",
  "Workaround: restart the service.",
  "Seen on staging and production.",
  "The retry logic never backs off.",
  "Affects self-managed instances only.",
  "The stack trace points at the serializer.",
];
const REPLIES = [
  "I can reproduce this.",
  "Could you share the logs?",
  "This looks like a regression from the refactor.",
  "Fixed in the linked MR, please verify.",
  "Not sure this is the same bug.",
  "Adding a test for it now.",
  "We should backport this.",
  "Closing as duplicate soon unless someone objects.",
  "The profiler shows most time in JSON parsing.",
  "LGTM after the rename.",
];
const LABELS = [
  "bug",
  "feature",
  "performance",
  "security",
  "ux",
  "backend",
  "frontend",
  "docs",
  "regression",
  "good first issue",
];
const PEOPLE = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];
// Repository paths: a few roots, nested component directories and files named like a real
// codebase's; each path is unique.
const ROOTS = ["src", "app", "lib", "spec", "test", "docs", "config", "web/src", "internal", "pkg", "cmd"];
const COMPONENTS = [
  "auth",
  "billing",
  "api",
  "models",
  "controllers",
  "views",
  "services",
  "workers",
  "db",
  "cache",
  "search",
  "utils",
  "ui",
  "components",
  "hooks",
  "store",
  "jobs",
  "mailers",
  "serializers",
  "policies",
  "graphql",
  "pipelines",
  "runners",
  "projects",
  "users",
  "issues",
  "merge_requests",
  "notes",
  "ci",
  "packages",
  "webhooks",
  "audit",
  "export",
  "import",
  "storage",
  "metrics",
  "tracing",
  "config",
  "admin",
];
const SUFFIXES: Record<string, readonly string[]> = {
  src: [".ts", ".test.ts", ".tsx"],
  app: [".rb", ".haml", ".js"],
  lib: [".rb", ".go", ".rs"],
  spec: ["_spec.rb"],
  test: [".test.ts", "_test.go"],
  docs: [".md"],
  config: [".yml", ".rb", ".json"],
  "web/src": [".vue", ".ts", ".scss"],
  internal: [".go"],
  pkg: [".go"],
  cmd: [".go"],
};

/** `count` distinct, realistic repository paths, deterministic for the generator. */
export function codePaths(random: () => number, count: number): string[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const paths = new Set<string>();
  while (paths.size < count) {
    const root = pick(ROOTS);
    const depth = 1 + Math.floor(random() * 3);
    const dirs = Array.from({ length: depth }, () => pick(COMPONENTS));
    const name = `${pick(COMPONENTS)}_${pick(COMPONENTS)}${Math.floor(random() * 40) || ""}`;
    paths.add(`${root}/${dirs.join("/")}/${name}${pick(SUFFIXES[root] ?? [".txt"])}`);
  }
  return [...paths];
}

/** Index into `n` items, skewed so a few are picked often (hot files) and most rarely. */
export function skewedIndex(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(n * random() ** 3));
}

export function generate(gl: FakeGitLab, options: GenerateOptions): Generated {
  const random = prng(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const project = gl.addProject({ path: options.path ?? "group/proj" });
  const people = PEOPLE.map((name) => gl.user(name));
  const issues: Json[] = [];
  const mrs: Json[] = [];
  // MRs that mention and close each issue (GitLab's related_merge_requests and closed_by), set on the
  // issue once all MRs exist.
  const related = new Map<Json, Json[]>();
  const closedBy = new Map<Json, Json[]>();
  const total = options.issues + options.mrs;
  let notesLeft = options.notes;
  // The project's history spans about a year whatever its size: each entity gets an equal share of it,
  // part before it is opened and the rest spread over its threads (the clock also moves 1 s per change).
  const share = (365 * 86_400_000) / Math.max(1, total);
  const threadsPerEntity = Math.max(1, options.notes / Math.max(1, total) / 3.5);
  const passTime = () => gl.tick(Math.floor(share * 0.3 * random()));
  const replyLater = () => gl.tick(Math.floor((share * 1.4 * random()) / threadsPerEntity));
  /** Two different items, so a description does not repeat a sentence. */
  const pickTwo = <T>(items: readonly T[]): [T, T] => {
    const first = Math.floor(random() * items.length);
    const second = (first + 1 + Math.floor(random() * (items.length - 1))) % items.length;
    return [items[first] as T, items[second] as T];
  };
  const threadsFor = (index: number) => {
    // Spread the notes evenly, with some variety per entity.
    const share = Math.round(notesLeft / Math.max(1, total - index));
    return Math.max(0, Math.min(notesLeft, share + Math.floor(random() * 3) - 1));
  };
  const files = codePaths(random, 400);
  /** DiffNotes sit on one of the MR's changed files (none on issues). */
  const addThreads = (parent: Json, notes: number, changed: readonly string[]) => {
    let left = notes;
    while (left > 0) {
      const size = Math.min(left, 1 + Math.floor(random() * 6));
      const thread = Array.from({ length: size }, (_, i) => {
        const text = i === 0 ? `${pick(REPLIES)} ${pick(DETAILS)}` : pick(REPLIES);
        const note: Json = { body: `${text}${mention(0.1)}`, author: pick(people) };
        if (changed.length > 0 && i === 0 && random() < 0.3) {
          const file = pick(changed);
          const line = 1 + Math.floor(random() * 200);
          note.type = "DiffNote";
          note.position = {
            base_sha: "a",
            start_sha: "b",
            head_sha: "c",
            old_path: file,
            new_path: file,
            position_type: "text",
            old_line: null,
            new_line: line,
          };
        }
        return note;
      });
      replyLater();
      gl.addDiscussion(parent, thread, { individual: size === 1 });
      left -= size;
    }
    notesLeft -= notes;
  };
  /** With probability `p`, a sentence referencing an earlier issue or MR (sometimes in code, which does not count). */
  const mention = (p: number): string => {
    if (random() >= p || issues.length === 0) return "";
    const roll = random();
    const issue = pick(issues).iid as number;
    if (roll < 0.5) return ` See #${issue}.`;
    if (roll < 0.7 && mrs.length > 0) return ` Related: !${pick(mrs).iid as number}.`;
    if (roll < 0.85) return ` Same as ${project.web_url as string}/-/issues/${issue}`;
    return ` Try \`git log --grep #${issue}\`.`;
  };
  const labelEvent = (parent: Json, name: string) =>
    gl.addEvent(parent, "label", {
      action: "add",
      user: pick(people),
      label: { id: 1 + LABELS.indexOf(name), name, color: "#428bca", description: null },
    });

  for (let i = 0; i < options.issues; i++) {
    passTime();
    const labels = [...new Set([pick(LABELS), ...(random() < 0.5 ? [pick(LABELS)] : [])])];
    const closed = random() < 0.3;
    const issue = gl.addIssue(project, {
      title: `${pick(SUBJECTS)} ${pick(PROBLEMS)}`.replace(/^./, (c) => c.toUpperCase()),
      description: `${pickTwo(DETAILS).join(" ")}\n\n${pick(DETAILS)}${mention(0.3)}`,
      labels,
      author: pick(people),
      assignees: random() < 0.6 ? [pick(people)] : [],
      state: closed ? "closed" : "opened",
    });
    addThreads(issue, threadsFor(i), []);
    if (random() < 0.3) labelEvent(issue, labels[0] as string);
    if (random() < 0.1) gl.addEvent(issue, "milestone", { user: pick(people) });
    if (closed) gl.addEvent(issue, "state", { state: "closed", user: pick(people) });
    issues.push(issue);
  }
  for (let m = 0; m < options.mrs; m++) {
    passTime();
    const fixes = issues.length > 0 ? pick(issues) : undefined;
    const merged = random() < 0.5;
    const label = pick(LABELS);
    const author = pick(people);
    const reviewer = pick(people.filter((p) => p !== author));
    const mr = gl.addMergeRequest(project, {
      title: `Fix ${pick(SUBJECTS)} that ${pick(PROBLEMS)}`,
      description: fixes ? `Closes #${fixes.iid as number}. ${pick(DETAILS)}` : pick(DETAILS),
      labels: [label],
      author,
      reviewers: random() < 0.7 ? [reviewer] : [],
      source_branch: `fix-${m + 1}`,
      target_branch: "main",
      state: merged ? "merged" : "opened",
    });
    const changed = [
      ...new Set(
        Array.from(
          { length: 1 + Math.floor(random() * 4) },
          () => files[skewedIndex(random, files.length)] as string,
        ),
      ),
    ];
    gl.setDiffs(
      mr,
      changed.map((file) => ({
        old_path: file,
        new_path: file,
        new_file: random() < 0.2,
        renamed_file: false,
        deleted_file: false,
      })),
    );
    addThreads(mr, threadsFor(options.issues + m), changed);
    if (fixes) {
      // GitLab notes on the issue that the new MR mentions it.
      gl.addDiscussion(fixes, [
        { body: `mentioned in merge request !${mr.iid as number}`, system: true, author: mr.author },
      ]);
      gl.setCloses(mr, [fixes]);
      related.set(fixes, [...(related.get(fixes) ?? []), mr]);
      closedBy.set(fixes, [...(closedBy.get(fixes) ?? []), mr]);
    }
    if (random() < 0.3) labelEvent(mr, label);
    if (merged) gl.addEvent(mr, "state", { state: "merged", user: pick(people) });
    mrs.push(mr);
  }
  for (const [issue, list] of related) gl.setRelated(issue, list);
  for (const [issue, list] of closedBy) gl.setClosedBy(issue, list);
  return { project, issues, mrs, notes: options.notes - notesLeft, paths: files };
}
