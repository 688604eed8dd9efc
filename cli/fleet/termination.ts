/**
 * Resolves with the name of the first SIGINT or SIGTERM. A second one while
 * the clean shutdown is still running exits at once: the user asked twice.
 */
export function waitForTermination(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) {
        process.stderr.write(`nnfleet: ${signal} again; exiting without a clean shutdown\n`);
        process.exit(1);
      }
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
