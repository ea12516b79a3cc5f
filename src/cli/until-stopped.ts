/** Shared by the long-running commands (`serve`, `api`). */
import type { Server } from 'node:http';

/** Resolves on Ctrl+C, SIGTERM or the server closing, whichever comes first; the listeners are removed either way. */
export function untilStopped(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    server.on('close', stop);
  });
}
