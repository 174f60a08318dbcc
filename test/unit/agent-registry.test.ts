// Pins every command's field list (as gh pins its --json fields): removing or renaming a field of
// robot output fails here, visibly, before it breaks a user's script. Adding one: update the list.

import { describe, expect, it } from "vitest";
import { ROBOT_COMMANDS, TYPES } from "../../src/agent/registry.js";
import { COMMAND_NAMES } from "../../src/cli/program.js";

const rowsOf = (command: string) =>
  Object.fromEntries(
    Object.entries(ROBOT_COMMANDS[command]?.shapes ?? {}).map(([name, shape]) => [
      name,
      {
        data: Object.keys(shape.data),
        rows: shape.rows && Object.keys(shape.rows.fields),
        minimal: shape.rows?.minimal,
      },
    ]),
  );

describe("the robot field registry", () => {
  it("has an entry for every command", () => {
    expect(Object.keys(ROBOT_COMMANDS).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it("keeps every minimal preset inside its field list", () => {
    for (const command of Object.values(ROBOT_COMMANDS)) {
      for (const shape of Object.values(command.shapes)) {
        for (const name of shape.rows?.minimal ?? [])
          expect(Object.keys(shape.rows?.fields ?? {})).toContain(name);
      }
    }
  });

  it.each(["issues", "mrs", "search", "status"])("pins the fields of lore %s", (command) => {
    expect(rowsOf(command)).toMatchSnapshot();
  });

  it("pins the nested types", () => {
    expect(
      Object.fromEntries(Object.entries(TYPES).map(([name, fields]) => [name, Object.keys(fields)])),
    ).toMatchSnapshot();
  });
});
