import { expect, it } from "vitest";
import { parseSystemNoteActions } from "../../src/history/system-note-actions.js";

it.each([
  ["assigned to @alice", [{ kind: "assignee_added", users: ["alice"] }]],
  ["assigned to @alice, @bob and @carol", [{ kind: "assignee_added", users: ["alice", "bob", "carol"] }]],
  [
    "assigned to @alice and @bob and unassigned @carol and @dave",
    [
      { kind: "assignee_added", users: ["alice", "bob"] },
      { kind: "assignee_removed", users: ["carol", "dave"] },
    ],
  ],
  ["unassigned @bob", [{ kind: "assignee_removed", users: ["bob"] }]],
  ["assigned to @user1 additionally to @user2", [{ kind: "assignee_added", users: ["user1"] }]],
  ["removed assignee", [{ kind: "assignee_removed", users: [] }]],
  ["requested review from @alice.smith", [{ kind: "reviewer_added", users: ["alice.smith"] }]],
  ["requested review from @alice and removed approval", [{ kind: "reviewer_added", users: ["alice"] }]],
  [
    "requested review from @a, @b and @c and removed review request for @d and @e",
    [
      { kind: "reviewer_added", users: ["a", "b", "c"] },
      { kind: "reviewer_removed", users: ["d", "e"] },
    ],
  ],
  ["removed review request for @bob", [{ kind: "reviewer_removed", users: ["bob"] }]],
  ["mentioned in merge request !12", []],
  ["changed the description", []],
  ["I assigned to @alice yesterday", []],
  ["assigned to nobody", []],
  ["", []],
])("%j", (body, expected) => {
  expect(parseSystemNoteActions(body)).toEqual(expected);
});
