export type SshErrorReason =
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'unreachable'
  | 'auth-failed'
  | 'connection-lost'
  | 'remote-command'
  | 'cancelled'
  | 'no-node'
  | 'provision'
  | 'bad-target';

/** Errors talking to a device or server over SSH; `message` says what to do. */
export class SshError extends Error {
  override readonly name = 'SshError';
  constructor(
    readonly reason: SshErrorReason,
    message: string,
  ) {
    super(message);
  }
}
