// Whether this Node.js can run lore, and what to tell a user whose Node cannot. The entry point runs
// this before anything else loads: on an older Node the native SQLite addon crashes without a word
// (exit 139), so lore must stop first. Written in syntax any Node since 14 parses.

export const MINIMUM_NODE_MAJOR = 22;
const RECOMMENDED_NODE_MAJOR = 24;

export interface NodeVersionProblem {
  readonly message: string;
  readonly suggestion: string;
  /** Complete commands that get a suitable Node, most likely first. */
  readonly actions: readonly string[];
}

/**
 * Undefined when `version` (as in `process.versions.node`) is new enough; otherwise what to say.
 * `getNodeScript` is the path of the script in lore's source folder that fetches Node from the
 * npm registry, when that script is there (a clone has it; a published package does not).
 */
export function nodeVersionProblem(version: string, getNodeScript?: string): NodeVersionProblem | undefined {
  const major = Number.parseInt(version.replace(/^v/, ""), 10);
  if (major >= MINIMUM_NODE_MAJOR) return undefined;
  const found = Number.isNaN(major) ? version : `v${version.replace(/^v/, "")}`;
  const actions: string[] = [];
  // The script prints a folder with a new enough Node (fetched from the npm registry if need be).
  if (getNodeScript) actions.push(`export PATH="$(sh ${getNodeScript}):$PATH"`);
  actions.push(`nvm install ${RECOMMENDED_NODE_MAJOR}`);
  return {
    message: `lore needs Node.js ${MINIMUM_NODE_MAJOR} or newer (found ${found}).`,
    suggestion: `Install Node.js ${RECOMMENDED_NODE_MAJOR} (https://nodejs.org, your package manager, or nvm), then run lore again.${getNodeScript ? ` Or fetch it from the npm registry with lore's ${getNodeScript}, which prints the folder to put first on PATH.` : ""}`,
    actions,
  };
}

/** The problem as lore prints it: a robot envelope (exit code 3, CONFIG) or human lines for stderr. */
export function describeNodeVersionProblem(problem: NodeVersionProblem, robot: boolean): string {
  if (robot) {
    const error = {
      code: "CONFIG",
      message: problem.message,
      exit_code: 3,
      suggestion: problem.suggestion,
      actions: problem.actions,
    };
    return `${JSON.stringify({ ok: false, error, meta: { command: "", elapsed_ms: 0 } })}\n`;
  }
  const hints = problem.actions.map((action) => `hint: ${action}\n`).join("");
  return `error [CONFIG] ${problem.message}\nhint: ${problem.suggestion}\n${hints}`;
}
