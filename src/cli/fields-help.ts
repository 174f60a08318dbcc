// The help line of every read command's --fields option.
export const FIELDS_HELP =
  "robot output keeps only these keys of each row/entity (a,b,c; minimal; help lists them)";
