export type PlanErrorReason = 'bad-network' | 'bad-profile' | 'unknown-preset' | 'profile-mismatch' | 'bad-jobs' | 'unknown-shapes' | 'bad-plan';

/** The planner's error: a machine-readable reason and a message the user can act on. */
export class PlanError extends Error {
  override readonly name = 'PlanError';
  constructor(
    readonly reason: PlanErrorReason,
    message: string,
  ) {
    super(message);
  }
}
