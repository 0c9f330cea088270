/** The splits of a FiNER dataset folder, in the order they are reported. */
export const SPLITS = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];
