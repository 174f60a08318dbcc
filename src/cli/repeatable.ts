// Commander's accumulator for flags that may be given several times (--project, --issue, --label).
export const repeatable = (value: string, previous: string[] = []): string[] => [...previous, value];
