// Pins every command's field list (as gh pins its --json fields): removing or renaming a field of
// robot output fails here, visibly, before it breaks a user's script. Adding one: update the list.

import { describe, expect, it } from "vitest";
import { rowKeys } from "../../src/agent/fields.js";
import { ROBOT_COMMANDS, shapeOf, TYPES } from "../../src/agent/registry.js";
import { COMMAND_NAMES } from "../../src/cli/program.js";
import { knownType, parseFieldType } from "../support/registry-shapes.js";

const rowsOf = (command: string) =>
  Object.fromEntries(
    Object.entries(ROBOT_COMMANDS[command]?.shapes ?? {}).map(([name, shape]) => [
      name,
      {
        data: Object.keys(shape.data),
        lists: shape.rows && rowKeys(shape.rows),
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

  it.each([...COMMAND_NAMES])("pins the fields of lore %s", (command) => {
    expect(rowsOf(command)).toMatchSnapshot();
  });

  it("names only types it knows (row and entity only where --fields has rows)", () => {
    const unknown: string[] = [];
    const check = (where: string, fields: Record<string, string>, hasRows: boolean) => {
      for (const [key, type] of Object.entries(fields)) {
        for (const alternative of parseFieldType(type).alternatives) {
          if (!knownType(alternative, hasRows)) unknown.push(`${where}.${key}: ${alternative}`);
        }
      }
    };
    for (const [name, fields] of Object.entries(TYPES)) check(`TYPES.${name}`, fields, false);
    for (const [command, entry] of Object.entries(ROBOT_COMMANDS)) {
      for (const [name, shape] of Object.entries(entry.shapes)) {
        check(`${command}/${name}`, shape.data, shape.rows !== undefined);
        if (shape.rows) check(`${command}/${name} rows`, shape.rows.fields, false);
      }
    }
    expect(unknown).toEqual([]);
  });

  it("puts the --fields rows where data says they are", () => {
    for (const [command, entry] of Object.entries(ROBOT_COMMANDS)) {
      for (const [name, shape] of Object.entries(entry.shapes)) {
        const rows = shape.rows;
        if (!rows) continue;
        const where = `${command}/${name}`;
        if (!rows.alike) {
          expect(shape.data[rows.key], where).toBe(rows.many ? "row[]" : "entity");
          continue;
        }
        // Lists selected alike: each is a list of a named type, and the fields are all of theirs.
        const union: Record<string, string> = {};
        for (const key of rowKeys(rows)) {
          const type = /^(\w+)\[\]$/.exec(shape.data[key] ?? "")?.[1];
          expect(type && TYPES[type], `${where}: ${key}`).toBeDefined();
          Object.assign(union, TYPES[type as string]);
        }
        expect(rows.fields, where).toEqual(union);
      }
    }
  });

  it.each([
    ["issues", [], {}, "list"],
    ["issues", ["42"], {}, "show"],
    ["issues", ["42"], { web: true }, "web"],
    ["who", ["src/auth/"], {}, "expert"],
    ["who", ["@alice"], {}, "workload"],
    ["who", ["@alice"], { reviews: true }, "reviews"],
    ["who", [undefined], { active: true }, "active"],
    ["who", [undefined], { overlap: "src/a.ts" }, "overlap"],
    ["sync", [], { issue: ["1"] }, "surgical"],
  ])("lore %s %j %j has the %s shape", (command, args, options, expected) => {
    const shape = shapeOf(command, { args, options });
    expect(shape).toBe(ROBOT_COMMANDS[command]?.shapes[expected]);
  });

  it("pins the nested types", () => {
    expect(
      Object.fromEntries(Object.entries(TYPES).map(([name, fields]) => [name, Object.keys(fields)])),
    ).toMatchSnapshot();
  });
});
