import type { ParsedMail } from 'mailparser';

/** The languages Ordo answers a sender in. */
export type AnswerLanguage = 'en' | 'zh-CN';

const HAN = /\p{Script=Han}/u;

/**
 * The language to answer a sender in: its `Content-Language` when it declares one, else
 * Chinese when it writes Chinese (in the subject or the body), else English.
 */
export function senderLanguage(
  mail: Pick<ParsedMail, 'headers' | 'subject' | 'text'>,
): AnswerLanguage {
  const declared = mail.headers.get('content-language');
  if (typeof declared === 'string' && declared.trim())
    return /^\s*zh\b/i.test(declared) ? 'zh-CN' : 'en';
  return textLanguage(`${mail.subject ?? ''}\n${mail.text ?? ''}`);
}

/** Chinese for a text written in Chinese (any Han character), else English. */
export function textLanguage(text: string): AnswerLanguage {
  return HAN.test(text) ? 'zh-CN' : 'en';
}
