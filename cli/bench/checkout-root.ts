import { resolve, sep } from 'node:path';

/** The checkout's root, whether this runs compiled (dist/cli/bench) or from source (cli/bench, under ts-jest). */
export const CHECKOUT_ROOT = resolve(__dirname, __dirname.split(sep).includes('dist') ? '../../..' : '../..');
