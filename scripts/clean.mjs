// Removes the build output so a rename in src/ never leaves a stale module in dist/.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
