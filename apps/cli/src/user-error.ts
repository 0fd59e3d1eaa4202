/** An error the user can fix: printed as one line, exit code 1, no stack trace. */
export class UserError extends Error {}
