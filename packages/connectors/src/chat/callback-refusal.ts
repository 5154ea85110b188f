/** Why a chat platform's callback was refused: a code the server maps to its 4xx answer. */
export type CallbackRefusalCode =
  | 'bad_signature'
  | 'stale_timestamp'
  | 'bad_ciphertext'
  | 'wrong_receiver'
  | 'bad_key'
  | 'bad_message';

/** A callback that is not what the platform would send: refused before anything is read. */
export class CallbackRefusal extends Error {
  constructor(
    readonly code: CallbackRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'CallbackRefusal';
  }
}
