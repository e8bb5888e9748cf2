/** The CLI/library version, written as `producer_version` into every artifact (gate.md §A12.1). A pin test keeps it equal to package.json. */
export const GAIT_VERSION = '0.1.0';
