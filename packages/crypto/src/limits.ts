/** Largest credential or presentation JWT looked at, in characters: 64 KiB. */
export const MAX_JWT_LENGTH = 64 * 1024

/** Largest SD-JWT VC presentation (disclosures and KB-JWT included) looked at: 256 KiB. */
export const MAX_SD_JWT_LENGTH = 256 * 1024

/** Largest status-list JWT looked at (and fetched): 2 MiB. */
export const MAX_STATUS_LIST_JWT_LENGTH = 2 * 1024 * 1024

/** Clock skew allowed when none is configured, in seconds. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 30

/** Largest clock skew that may be configured, in seconds. */
export const MAX_CLOCK_SKEW_SECONDS = 60
