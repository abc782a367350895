/**
 * The errors a command may end with, each carrying the exit code the CLI conventions give it:
 * 1 the thing asked for failed, 2 usage error, 3 environment problem. `main.ts` is the only place
 * that turns them into a message on stderr and an exit code; commands just throw.
 */
export class KqError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Exit 1: the command ran but what it was asked to prove or check failed. */
export class FailedError extends KqError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** Exit 2: an unknown id, flag, tag or value; the message names the closest valid choices. */
export class UsageError extends KqError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Exit 3: the environment is in the way (port in use, corrupt file, cluster unreachable). */
export class EnvironmentError extends KqError {
  constructor(message: string) {
    super(message, 3);
  }
}
