import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';
import { stopLeftovers } from './process-fixture';
import { RUN_CHILD_ENV, RUN_DIR_ENV } from './run-registry';

/**
 * Jest's node environment, plus the end of each test file's processes:
 * after every hook of the file has run, whatever it started and left
 * running is stopped (and reported as a leak). A default export because
 * jest loads the environment's default.
 */
export default class ProcessEnvironment extends TestEnvironment {
  readonly #testPath: string;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    // Set in this (the worker's) own environment, not its parent's: processes the product's code
    // starts from a test (a private Swift, say) carry the run's marker, while the jest worker,
    // whose environment was fixed when it was exec'd, does not.
    const dir = process.env[RUN_DIR_ENV];
    if (dir) process.env[RUN_CHILD_ENV] = dir;
    super(config, context);
    this.#testPath = context.testPath;
  }

  override async teardown(): Promise<void> {
    await stopLeftovers(this.global, this.#testPath);
    await super.teardown();
  }
}
