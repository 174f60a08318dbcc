import { EventEmitter } from "node:events";
import { expect, it } from "vitest";
import { handleClosedPipes } from "../../src/cli/pipes.js";

function streams() {
  const stdout = new EventEmitter();
  const written: string[] = [];
  const stderr = Object.assign(new EventEmitter(), { write: (text: string) => written.push(text) });
  const exits: number[] = [];
  handleClosedPipes(stdout, stderr, (code) => exits.push(code));
  const fail = (stream: EventEmitter, code: string) =>
    stream.emit("error", Object.assign(new Error(`write ${code}`), { code }));
  return { stdout, stderr, written, exits, fail };
}

it("ends quietly with exit 0 when stdout's reader has gone", () => {
  const s = streams();
  s.fail(s.stdout, "EPIPE");
  expect(s.exits).toEqual([0]);
  expect(s.written).toEqual([]);
});

it("says in one line why other failures to write the output end lore with exit 1", () => {
  const s = streams();
  s.fail(s.stdout, "ENOSPC");
  expect(s.exits).toEqual([1]);
  expect(s.written).toEqual(["lore: cannot write the output: ENOSPC\n"]);
});

it("goes on when only stderr is closed, and then stays silent about stdout's failure", () => {
  const s = streams();
  s.fail(s.stderr, "EPIPE");
  expect(s.exits).toEqual([]);
  s.fail(s.stdout, "EIO");
  expect(s.exits).toEqual([1]);
  expect(s.written).toEqual([]);
});
