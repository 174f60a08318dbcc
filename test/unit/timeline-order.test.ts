import { describe, expect, it } from "vitest";
import { compareEvents, noteExcerpt, type RankedEvent } from "../../src/history/timeline-events.js";

const event = (at: string, kind: string, entityRank = 0, sequence = 0, summary = kind): RankedEvent => ({
  event: { at, entity_type: "issue", project: "acme/api", iid: 1, kind, actor: null, summary, url: "u" },
  entityRank,
  sequence,
});
const T = "2024-01-01T00:00:00.000Z";
const LATER = "2024-01-01T00:00:01.000Z";

describe("compareEvents", () => {
  it.each<[string, RankedEvent[], string[]]>([
    ["time first", [event(LATER, "created"), event(T, "closed")], ["closed", "created"]],
    [
      "then the entity's place in the timeline",
      [event(T, "note", 2, 0, "b"), event(T, "note", 1, 0, "a")],
      ["a", "b"],
    ],
    [
      "then creation, references, metadata, comments, state changes",
      [
        event(T, "merged"),
        event(T, "note"),
        event(T, "assignee_added"),
        event(T, "reference"),
        event(T, "created"),
        event(T, "label_added"),
      ],
      ["created", "reference", "assignee_added", "label_added", "note", "merged"],
    ],
    [
      "then GitLab's id, then the text",
      [event(T, "note", 0, 9, "z"), event(T, "note", 0, 3, "y"), event(T, "note", 0, 3, "x")],
      ["x", "y", "z"],
    ],
  ])("%s", (_name, events, expected) => {
    expect([...events].sort(compareEvents).map((e) => e.event.summary)).toEqual(expected);
    expect(
      [...events]
        .reverse()
        .sort(compareEvents)
        .map((e) => e.event.summary),
    ).toEqual(expected);
  });
});

describe("noteExcerpt", () => {
  it.each([
    ["One line.", "One line."],
    ["\n\n  First   line  \nsecond", "First line …"],
    ["x".repeat(130), `${"x".repeat(119)}…`],
    ["", ""],
  ])("%j", (body, expected) => {
    expect(noteExcerpt(body)).toBe(expected);
  });
});
