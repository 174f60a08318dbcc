// lore's command line: parse, dispatch, and turn every outcome into output and an exit code.

import { type Command, CommanderError } from "commander";
import type { FieldsPlan } from "../agent/apply-fields.js";
import type { LoadedConfig } from "../config/load.js";
import { configLoader } from "../config/loader.js";
import { cancelledError, isCancellation, LoreError } from "../core/errors.js";
import { defaultConfigPath } from "../core/paths.js";
import { ShutdownSignal } from "../core/shutdown.js";
import type { CommandRun, Invocation } from "./command.js";
import { type CommandContext, createContext } from "./context.js";
import { asLoreError, Output } from "./output.js";
import { handleClosedPipes } from "./pipes.js";
import { invokedCommand, prescan } from "./prescan.js";
import { buildProgram, COMMAND_NAMES } from "./program.js";
import { LORE_VERSION } from "./version.js";

/**
 * A command that met SQLite reporting its database damaged: the finding is remembered beside the
 * file (so no later command writes into it) and the error names the file and how to recover.
 */
async function rememberDamage(error: unknown, ctx: CommandContext, command: string): Promise<unknown> {
  const { damageCause, damagedError, recordDamage } = await import("../db/damage.js");
  const cause = damageCause(error);
  if (!cause) return error;
  const dbPath = ctx.dbPath();
  recordDamage(dbPath, command, cause);
  return damagedError(dbPath, error, error instanceof LoreError ? error.details : {}) ?? error;
}

/** The human view of data already reduced by `--fields`. */
async function selectedFieldsRenderer(data: unknown, plan: FieldsPlan): Promise<(out: Output) => void> {
  const { renderSelectedFields } = await import("./fields-view.js");
  return (out) => renderSelectedFields(out, data, plan);
}

const version = LORE_VERSION;

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  handleClosedPipes();
  const flags = prescan(argv, env, COMMAND_NAMES);
  const output = new Output({
    robot: flags.robot,
    verbose: flags.verbose,
    quiet: flags.quiet,
    pager: flags.pager,
    env,
  });
  const meta = (command: string) => ({ command, elapsed_ms: Math.round(performance.now() - started) });
  const shutdown = new ShutdownSignal(undefined, () =>
    output.warn("Stopping at the next safe point… (press Ctrl-C again to quit at once)"),
  ).install();
  let exitCode = 0;

  const fail = (error: unknown, command: string) => {
    const loreError =
      isCancellation(error) && !(error instanceof LoreError) ? cancelledError() : asLoreError(error);
    const stack = flags.verbose && error instanceof Error ? error.stack : undefined;
    output.emitError(loreError, meta(command), stack);
    exitCode = loreError.exitCode;
  };

  const dispatch = async (name: string, load: () => Promise<CommandRun>, invocation: Invocation) => {
    const configPath =
      typeof invocation.options.config === "string" ? invocation.options.config : defaultConfigPath(env);
    // The command's code is imported only when it runs; the config schema (zod) only when the config cache misses.
    let loaded: [() => LoadedConfig, CommandRun];
    let fields: FieldsPlan | undefined;
    try {
      loaded = await Promise.all([configLoader(configPath, env), load()]);
      // --fields is checked before the command runs: a bad name is USAGE before any other work.
      if (invocation.options.fields !== undefined) {
        fields = (await import("../agent/apply-fields.js")).planFields(name, invocation);
      }
    } catch (error) {
      fail(error, name);
      return;
    }
    if (fields?.selection.kind === "help") {
      const [{ describeFields }, { renderFieldList }] = await Promise.all([
        import("../agent/fields.js"),
        import("./fields-view.js"),
      ]);
      const help = describeFields(fields.rows, name);
      if (output.robot) output.emitSuccess(help, meta(name));
      else renderFieldList(output, help);
      return;
    }
    const [loadConfig, run] = loaded;
    const ctx = createContext({ env, output, shutdown, configPath, version, loadConfig });
    try {
      const result = await run(invocation, ctx);
      const data = fields
        ? (await import("../agent/apply-fields.js")).applyFields(result.data, fields)
        : result.data;
      const render = fields
        ? await selectedFieldsRenderer(data, fields)
        : (out: Output) => result.render(out);
      if (result.failure) {
        if (!output.robot) render(output);
        fail(result.failure, name);
      } else if (result.streamed) {
        // The command spoke on stdout itself (the MCP server): no envelope after it.
      } else if (output.robot) {
        output.emitSuccess(data, meta(name));
      } else {
        render(output);
      }
      if (!result.failure && result.afterOutput && (await output.delivered())) {
        try {
          result.afterOutput();
        } catch (error) {
          output.warn(asLoreError(error).message);
        }
      }
    } catch (error) {
      fail(await rememberDamage(error, ctx, name), name);
    } finally {
      ctx.close();
    }
  };

  const program = buildProgram(version, dispatch, invokedCommand(argv, COMMAND_NAMES));
  program.exitOverride();
  // Help and version text go to stdout (captured into the envelope in robot mode); commander's
  // error messages are dropped here because the USAGE error reports them. Help shown for a bare
  // `lore` arrives through writeErr, and is help all the same.
  const writeHelp = (text: string) => {
    if (!output.robot) output.raw(text);
    else capturedOut += text;
  };
  program.configureOutput({ writeOut: writeHelp, writeErr: writeHelp, outputError: () => {} });
  let capturedOut = "";
  // Subcommands too (`lore config set`): commander copies these settings only at creation.
  const configure = (commands: readonly Command[]) => {
    for (const command of commands) {
      command.exitOverride();
      command.configureOutput(program.configureOutput());
      configure(command.commands);
    }
  };
  configure(program.commands);

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      ) {
        if (output.robot) {
          const data = error.code === "commander.version" ? { version } : { help: capturedOut };
          output.emitSuccess(data, meta(flags.command));
        }
        exitCode = 0;
      } else {
        const message = error.message.replace(/^error: /, "");
        fail(
          new LoreError("USAGE", message.charAt(0).toUpperCase() + message.slice(1), {
            suggestion: `Run \`lore ${flags.command ? `${flags.command} ` : ""}--help\` for usage.`,
          }),
          flags.command,
        );
      }
    } else {
      fail(error, flags.command);
    }
  }
  shutdown.uninstall();
  await output.flush();
  return exitCode;
}

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`lore: fatal: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
