/**
 * Where an order came from, kept on its creation's history entry (`source`) so its
 * timeline can show it: an e-mail (its intake message, whose original can be downloaded), a
 * chat message (WeCom, DingTalk), a file import, or a scheduled pull from another system.
 */
export interface OrderSource {
  kind: 'email' | 'chat' | 'file' | 'pull';
  /** A chat message's platform (`wecom`, `dingtalk`) and its id there (MsgId, msgId). */
  channel?: string;
  messageId?: string;
  /** The record it came from: the intake message's id, the pull's trigger. */
  id?: string;
  /** The file's name (an import's, an e-mail attachment's). */
  name?: string;
  /** A pull's page (1 is the first read from its cursor). */
  page?: number;
  /** A message's sender and subject. */
  from?: string;
  subject?: string;
  /** The rows of the file, or the lines of the message body, the order was read from. */
  lines?: number[];
}
