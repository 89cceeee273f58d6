/**
 * Writes batches one at a time while the caller reads the next, so parsing the file and the
 * database's inserts overlap instead of taking turns. A failed write is held, never left as an
 * unhandled rejection, and thrown by the next `push` or by `settle`.
 */
export function writeBehind<T>(write: (batch: T) => Promise<void>) {
  let writing: Promise<void> = Promise.resolve();
  let failure: { err: unknown } | undefined;
  const settle = async () => {
    await writing;
    if (failure) throw failure.err;
  };
  return {
    async push(batch: T) {
      await settle();
      writing = write(batch).catch((err: unknown) => {
        failure = { err };
      });
    },
    settle,
    /** Resolves when no write runs, whatever became of it. */
    idle: () => writing,
  };
}
