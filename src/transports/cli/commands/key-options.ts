import type { OptionSpec } from '../command.js';

/** Signing-key flags shared by every command that signs (gate.md §A11). */
export const KEY_OPTIONS: readonly OptionSpec[] = [
  { flags: '--key-mode <mode>', description: 'dev (default: persistent local pair under .gait/keys) or prod' },
  { flags: '--private-key <path>', description: 'Ed25519 private key file (base64 of 64 bytes)' },
  { flags: '--private-key-env <var>', description: 'environment variable holding the base64 private key' },
];
