// The people of a merge request as the path questions read them: its author and its named
// reviewers (the author is never their own reviewer), dated by its merge, else its last change.

/** A merge request row with its people; SQL: MR_PEOPLE_COLUMNS over `merge_requests m` and `projects p`. */
export interface MergeRequestPeople {
  readonly id: number;
  readonly project: string;
  readonly iid: number;
  readonly author_username: string | null;
  readonly reviewers_json: string;
  readonly at: string;
}

export const MR_PEOPLE_COLUMNS = `m.id, p.path_with_namespace AS project, m.iid, m.author_username,
  m.reviewers_json, coalesce(m.merged_at, m.updated_at) AS at`;

/** MRs of @projects dated at or after @since. */
export const MR_IN_SCOPE = `m.project_id IN (SELECT value FROM json_each(@projects))
  AND coalesce(m.merged_at, m.updated_at) >= @since`;

export function reviewersOf(mr: Pick<MergeRequestPeople, "author_username" | "reviewers_json">): string[] {
  return (JSON.parse(mr.reviewers_json) as string[]).filter((r) => r !== mr.author_username);
}
