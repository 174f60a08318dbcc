// `lore doctor`: runs every check it can, prints one line each, and fails with the first failure's code.

import { LoreError } from "../../../core/errors.js";
import type { Check } from "../../../doctor/check.js";
import { checkConfig, checkToken } from "../../../doctor/local-checks.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { parseDbTimeout } from "./options.js";

export async function runDoctor(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<{ checks: Check[] }>> {
  const budgetMs = parseDbTimeout(invocation.options.dbTimeout);
  const checks: Check[] = [];
  const { check, config } = checkConfig(ctx.configPath);
  checks.push(check);
  if (config) checks.push(checkToken(config, ctx.env));
  const { checkDatabase } = await import("../../../doctor/database-check.js");
  checks.push(await checkDatabase(config, ctx.env, budgetMs));
  if (config) {
    const { gitlabChecks } = await import("../../../doctor/gitlab-checks.js");
    const { recordTokenUser } = await import("../../../doctor/username-check.js");
    checks.push(
      ...(await gitlabChecks(config, ctx.env, ctx.version, ctx.signal, (username) =>
        recordTokenUser(ctx.configPath, config, username),
      )),
    );
    const { checkEmbedding } = await import("../../../doctor/embedding-check.js");
    checks.push(await checkEmbedding(config, ctx.env, ctx.signal));
  }

  const data = { checks };
  const firstFailure = checks.find((c) => !c.ok);
  return {
    data,
    render(out) {
      for (const c of checks) {
        const mark = !c.ok ? out.style.red("✗") : c.warnings ? out.style.yellow("!") : out.style.green("✓");
        out.line(`${mark} ${out.style.bold(c.name.padEnd(10))} ${c.detail}`);
        for (const warning of c.warnings ?? [])
          out.line(`  ${" ".repeat(10)} ${out.style.yellow("warning:")} ${warning}`);
      }
    },
    ...(firstFailure
      ? {
          failure: new LoreError(
            firstFailure.code ?? "INTERNAL",
            `${firstFailure.name}: ${firstFailure.detail}`,
            {
              ...(firstFailure.suggestion ? { suggestion: firstFailure.suggestion } : {}),
              ...(firstFailure.actions ? { actions: firstFailure.actions } : {}),
              details: { checks },
            },
          ),
        }
      : {}),
  };
}
