/**
 * The fingerprint key every test run of the CLI uses: a valid key (64 hex
 * characters, 32 bytes), fixed so that fingerprints are the same on every run.
 */
export const TEST_FINGERPRINT_KEY = '0123456789abcdef'.repeat(4);
