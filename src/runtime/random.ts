import { randomBytes } from 'node:crypto';

/** Source of randomness. Key generation takes it as a port so tests can be deterministic. */
export interface Random {
  bytes(length: number): Uint8Array;
}

/** The operating system CSPRNG. */
export const systemRandom: Random = {
  bytes: (length) => new Uint8Array(randomBytes(length)),
};
